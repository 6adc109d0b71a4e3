// Where the owner talks to the assistant (the "control chat"), decided by configuration,
// and the rules around it. README, "Where you talk to the assistant", says what the owner
// sees in each case.

/** Whose account the gateway is logged in to (mirrors infra/config's TELEGRAM_ACCOUNT). */
export type AccountKind = 'owner' | 'assistant';

/**
 * - `companion-bot`: own account, the owner writes to their own bot (notifies, has buttons);
 * - `saved-messages`: own account without a bot, the owner writes in Saved Messages;
 * - `direct-chat`: a separate assistant account, the owner writes to it like to a person.
 */
export type ControlChatKind = 'companion-bot' | 'saved-messages' | 'direct-chat';

export function controlChatKind(account: AccountKind, hasBotToken: boolean): ControlChatKind {
  if (account === 'assistant') return 'direct-chat';
  return hasBotToken ? 'companion-bot' : 'saved-messages';
}

/**
 * Whether the logged-in account fits the configured mode; a sentence saying what to fix
 * when it does not. In own-account mode the login must be the owner; in assistant-account
 * mode it must be someone else (the owner cannot write to themselves).
 */
export function loginProblem(
  account: AccountKind,
  me: { id: number; name: string },
  ownerTelegramId: number,
): string | undefined {
  if (account === 'owner' && me.id !== ownerTelegramId) {
    return `The saved Telegram login is ${me.name} (id ${me.id}), but OWNER_TELEGRAM_ID is ${ownerTelegramId}: with TELEGRAM_ACCOUNT=owner the login must be your own account. Set TELEGRAM_ACCOUNT=assistant if this is a separate account for the assistant, or run \`npm run setup\` again.`;
  }
  if (account === 'assistant' && me.id === ownerTelegramId) {
    return `The saved Telegram login is your own account (${me.name}), but TELEGRAM_ACCOUNT=assistant expects a separate account for the assistant: set TELEGRAM_ACCOUNT=owner, or run \`npm run setup\` again and log in to the assistant's account.`;
  }
  return undefined;
}

/**
 * In Saved Messages one's own messages never ring the phone. A message to the owner is
 * therefore sent as a scheduled message (which Telegram delivers with a notification)
 * unless the owner typed there within `presenceSeconds`: then they are looking at the
 * chat, and an ordinary message shows at once.
 */
export function shouldRingInSavedMessages(
  lastTypedAt: Date | undefined,
  now: Date,
  presenceSeconds = SAVED_MESSAGES_PRESENCE_SECONDS,
): boolean {
  return !lastTypedAt || now.getTime() - lastTypedAt.getTime() > presenceSeconds * 1000;
}

export const SAVED_MESSAGES_PRESENCE_SECONDS = 120;

/** How far ahead a ringing message is scheduled (Telegram wants a time in the future). */
export const RING_DELAY_SECONDS = 10;

/** A pending own send (its id not yet known) is matched by text only this long after it was written. */
export const PENDING_OWN_SEND_MINUTES = 30;

/** The one sentence anyone but the owner gets from the owner's companion bot. */
export const PRIVATE_BOT_ANSWER = 'This is a private assistant: it only works for its owner.';
