// What the owner may give to name someone on Telegram who has never written: an @username
// or a phone number. Telegram usernames are 5–32 letters, digits and underscores, starting
// with a letter (a t.me link names one too); phone numbers are 7–15 digits in
// international form.
export type TelegramHandle = { kind: 'username'; username: string } | { kind: 'phone'; phone: string };

export function parseTelegramHandle(text: string): TelegramHandle | undefined {
  const value = text.trim();
  const link = /^(?:https?:\/\/)?(?:t\.me|telegram\.me)\/([A-Za-z][A-Za-z0-9_]{3,31})\/?$/i.exec(value);
  const username = link?.[1] ?? /^@([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(value)?.[1];
  if (username) return { kind: 'username', username };
  // Bare digits are a Telegram id (as everywhere else); a phone has a "+" or separators.
  if (/^\+?[\d\s().-]+$/.test(value) && !/^\d+$/.test(value)) {
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 7 && digits.length <= 15) return { kind: 'phone', phone: digits };
  }
  return undefined;
}
