// How what arrives in a session is put into words for the model: messages cut short,
// files, voice transcripts, notices for the owner, a negotiation's instructions.
// Pure functions (workflow bundle).
import type { ChatMessage, ContentBlock } from '../common/domain.ts';
import type { Attachment, MessageReceivedInput, OwnerNoticeInput } from './session-api.ts';

export const UNREADABLE_VOICE =
  '[A voice note arrived but could not be transcribed; the person has been asked to resend it.]';

export function messageText(m: MessageReceivedInput): string {
  const cut = m.truncated
    ? `\n[This message was cut: ${m.originalLength} characters were sent; the first ${m.text.length} are shown.]`
    : '';
  return m.text + cut;
}

export function savedFileText(a: Attachment): string {
  return `[${a.kind === 'photo' ? 'Photo' : 'File'} received and saved in the workspace: "${a.fileName}" (${describeSize(a.sizeBytes)}, ${a.mimeType}) at ${a.path}]`;
}

export function voiceTranscriptText(a: Attachment, transcript: string): string {
  return `[Voice note${a.durationSeconds ? ` (${a.durationSeconds} s)` : ''}, transcribed]: ${transcript}`;
}

export function noticeText(notice: OwnerNoticeInput): string {
  return `[Delivered to the owner from ${notice.fromName} (Telegram id ${notice.fromTelegramId}), via that person's assistant session]: ${notice.text}`;
}

export function instructionText(taskId: string, text: string): string {
  return `[Instruction from the owner's assistant about conversation ${taskId} (not written by the person; act on it now and write to them)]: ${text}`;
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
