// How what arrives in a session is put into words for the model: messages cut short,
// files, voice transcripts, notices for the owner, a negotiation's instructions.
// Pure functions (workflow bundle).
import type { ChatMessage, ContentBlock, Role } from '../contracts/domain.ts';
import type { Attachment, InstructionInput, MessageReceivedInput, NoticeInput } from '../contracts/session.ts';

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

export function savedFileText(a: Attachment): string {
  return `[${a.kind === 'photo' ? 'Photo' : 'File'} received and saved in the workspace: "${a.fileName}" (${describeSize(a.sizeBytes)}, ${a.mimeType}) at ${a.path}]`;
}

export function voiceTranscriptText(a: Attachment, transcript: string): string {
  return `[Voice note${a.durationSeconds ? ` (${a.durationSeconds} s)` : ''}, transcribed]: ${transcript}`;
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
