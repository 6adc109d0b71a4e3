// Tool results in the session's history carry images as workspace files (a path, not
// bytes: see ToolResultPart). Building a Messages API request reads them into image
// blocks, for the newest messages only: older images become a line of text, so a long
// conversation does not pay for every picture again on every call.
import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ToolResultPart } from '../contracts/domain.ts';
import { log } from '../infra/logger.ts';
import { readPersonFile } from '../infra/workspace.ts';

/** Messages from the end whose images are sent as images. */
const MESSAGES_WITH_IMAGES = 4;

export async function toApiMessages(
  messages: ChatMessage[],
  dataDir: string,
  telegramId: number,
): Promise<Anthropic.MessageParam[]> {
  return Promise.all(
    messages.map(async (message, index): Promise<Anthropic.MessageParam> => {
      const recent = index >= messages.length - MESSAGES_WITH_IMAGES;
      const content = await Promise.all(
        message.content.map(async (block) => {
          if (block.type !== 'tool_result' || typeof block.content === 'string') return block;
          const parts = await Promise.all(block.content.map((part) => toApiPart(part, recent, dataDir, telegramId)));
          return { ...block, content: parts };
        }),
      );
      return { role: message.role, content } as Anthropic.MessageParam;
    }),
  );
}

async function toApiPart(
  part: ToolResultPart,
  recent: boolean,
  dataDir: string,
  telegramId: number,
): Promise<Anthropic.TextBlockParam | Anthropic.ImageBlockParam> {
  if (part.type === 'text') return part;
  if (!recent) return { type: 'text', text: `[an image shown earlier: ${part.file}]` };
  try {
    // Only this person's own workspace: a path from elsewhere is refused by readPersonFile.
    const bytes = await readPersonFile(dataDir, telegramId, part.file);
    return {
      type: 'image',
      source: {
        type: 'base64',
        media_type: part.mediaType as Anthropic.Base64ImageSource['media_type'],
        data: bytes.toString('base64'),
      },
    };
  } catch (err) {
    log.warn('An image of a tool result could not be read', { file: part.file, error: (err as Error).message });
    return { type: 'text', text: `[an image that is no longer available: ${part.file}]` };
  }
}
