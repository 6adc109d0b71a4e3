// The person lookup: someone the owner named by @username or phone number, who has never
// written, looked up on Telegram by the gateway (`telegram` task queue) for a main-queue
// tool, through a short workflow. No Node imports (workflow bundle).

/** Someone to reach who may never have written: an @username or a phone number. */
export interface LookUpPersonInput {
  /** "@bob", "t.me/bob", "+7 999 123-45-67" — as the owner gave it. */
  handle: string;
}

/** Found (and recorded, with the access hash to write to them), or one sentence for the owner. */
export type LookUpPersonResult = { found: true; telegramId: number } | { found: false; sentence: string };

/** What only the live Telegram connection can do for a person the assistant has never seen. */
export interface TelegramDirectoryActivities {
  lookUpPerson(input: LookUpPersonInput): Promise<LookUpPersonResult>;
}

export interface LookUpPersonWorkflowInput extends LookUpPersonInput {
  telegramTaskQueue: string;
}

export type LookUpPersonWorkflow = (input: LookUpPersonWorkflowInput) => Promise<LookUpPersonResult>;

export const lookUpPersonWorkflowId = (key: string) => `look-up-person-${key}`;

/** Said when the gateway does not answer in time (not running, or Telegram unreachable). */
export const LOOKUP_UNAVAILABLE =
  'Telegram could not be asked just now (the connection to Telegram is down): try again in a few minutes.';
