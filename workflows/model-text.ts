// How what arrives in a session is put into words for the model: messages cut short,
// files, voice transcripts, notices for the owner, a negotiation's instructions.
// Pure functions (workflow bundle).
import type { ChatMessage, ContentBlock, Role } from '../contracts/domain.ts';
import type { Attachment, InstructionInput, MessageReceivedInput, NoticeInput } from '../contracts/session.ts';
import type { Origin } from '../contracts/provenance.ts';

export const UNREADABLE_VOICE =
  '[A voice note arrived but could not be transcribed; the person has been asked to resend it.]';

export function messageText(m: MessageReceivedInput): string {
  const cut = m.truncated
    ? `\n[This message was cut: ${m.originalLength} characters were sent; the first ${m.text.length} are shown.]`
    : '';
  return m.text + cut;
}

/** A message sent before the last one already answered, delivered only now: read as a follow-up. */
export function lateMessageText(reading: string): string {
  return `[Sent earlier, before the messages already answered, but delivered only now]: ${reading}`;
}

/** A saved file; its name and path (chosen by whoever made the file) are quoted by `quoteName` when given. */
export function savedFileText(a: Attachment, quoteName?: (name: string) => string): string {
  const kind = a.kind === 'photo' ? 'Photo' : 'File';
  if (!quoteName) {
    return `[${kind} received and saved in the workspace: "${a.fileName}" (${describeSize(a.sizeBytes)}, ${a.mimeType}) at ${a.path}]`;
  }
  return `[${kind} received and saved in the workspace (${describeSize(a.sizeBytes)}, ${a.mimeType}); its name and path follow as data]\n${quoteName(`name: ${a.fileName}\npath: ${a.path}`)}`;
}

export function voiceTranscriptText(a: Attachment, transcript: string): string {
  return `[Voice note${a.durationSeconds ? ` (${a.durationSeconds} s)` : ''}, transcribed]: ${transcript}`;
}

/**
 * Who a notice in the owner's session speaks for: a contact (directly, or through a
 * negotiation with them), or the assistant itself (a reminder, the heartbeat check), whose
 * text may still carry others' words.
 */
export function noticeOrigin(notice: NoticeInput, ownerTelegramId: number): Origin {
  return notice.fromTelegramId === ownerTelegramId
    ? { kind: 'assistant', what: notice.fromName }
    : { kind: 'contact', telegramId: notice.fromTelegramId, name: notice.fromName };
}

/** What the model reads about the owner's answer to a pending action. */
export function pendingActionText(
  summary: string,
  outcome: 'done' | 'failed' | 'declined' | 'dropped',
  result?: string,
): string {
  switch (outcome) {
    case 'done':
      return `[Jobs: the owner confirmed the action that waited for them ("${summary}"); it was carried out. Its result:]\n${result ?? ''}`;
    case 'failed':
      return `[Jobs: the owner confirmed "${summary}", but it failed:]\n${result ?? ''}`;
    case 'declined':
      return `[Jobs: the owner declined "${summary}"; it was not done. Do not ask again unless they do.]`;
    case 'dropped':
      return `[Jobs: the action that waited for the owner's "yes" ("${summary}") was dropped: they wrote the message above instead.]`;
  }
}

export function noticeText(notice: NoticeInput, role: Role): string {
  return role === 'owner'
    ? `[Delivered to the owner from ${notice.fromName} (Telegram id ${notice.fromTelegramId}), via that person's assistant session]: ${notice.text}`
    : `[Sent to this person on behalf of ${notice.fromName} (not written by them)]: ${notice.text}`;
}

export function instructionText(instruction: InstructionInput): string {
  if (instruction.kind === 'scheduled-job') {
    return `[Scheduled job ${instruction.taskId} the owner set up earlier; it is due now (not a new message from the owner). Do it now and write the result to the owner]: ${instruction.text}`;
  }
  return `[Instruction from the owner's assistant about conversation ${instruction.taskId} (not written by the person; act on it now and write to them)]: ${instruction.text}`;
}

/** The turn's messages as one user message, after the context lines; null when nothing is readable. */
export function userTurn(contextLines: string[], readings: Array<string | null>): ChatMessage | null {
  const readable = readings.filter((r): r is string => r !== null);
  if (readable.length === 0) return null;
  const blocks: ContentBlock[] = [...contextLines, ...readable].map((text) => ({ type: 'text', text }));
  return { role: 'user', content: blocks };
}

function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
