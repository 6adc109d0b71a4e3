// Incoming text hygiene, shared by the gateway (before signalling) and the workflow
// (which must never trust its input). Pure functions: safe inside the workflow bundle.

// C0/C1 control characters except tab and newline, plus lone UTF-16 surrogates,
// byte-order marks and other non-characters that junk input tends to carry.
const JUNK =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface CleanText {
  text: string;
  /** Length in characters of the text as received, before cleaning and truncation. */
  originalLength: number;
  /** How many junk characters (controls, broken surrogates) were dropped. */
  junkRemoved: number;
  truncated: boolean;
}

export function cleanIncomingText(raw: string, maxChars: number): CleanText {
  const normalized = raw.replace(/\r\n?/g, '\n');
  let junkRemoved = 0;
  let text = normalized.replace(JUNK, () => {
    junkRemoved += 1;
    return '';
  });
  text = text.trim();
  const truncated = text.length > maxChars;
  if (truncated) {
    // Do not cut a surrogate pair in half.
    let end = maxChars;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    text = text.slice(0, end);
  }
  return { text, originalLength: raw.length, junkRemoved, truncated };
}

export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Text that PostgreSQL and JSON can store: NUL (which `text` and `jsonb` refuse) becomes
 * U+FFFD, like a lone UTF-16 surrogate. For names and tool inputs, where the rest is kept
 * as it came.
 */
export function storableText(raw: string): string {
  return raw.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/** `storableText` over every string (keys too) in a JSON-like value. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storableValue(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v as unknown)]),
    ) as T;
  }
  return value;
}
