// Incoming Telegram messages: only private chats with real people are accepted (not the
// owner's own outgoing messages, groups, channels, bots, service messages, denied or
// blocked people). Media is saved to the person's workspace and described; the rest
// takes the transport-independent gateway path.
import type { Api } from 'telegram';
import { Api as TL } from 'telegram';
import type { Config } from '../../infra/config.ts';
import { log } from '../../infra/logger.ts';
import { saveIncomingFile } from '../../infra/workspace.ts';
import type { Attachment } from '../../contracts/session.ts';
import { ChatQueues } from '../chat-queue.ts';
import type { ChatQueueOptions } from '../chat-queue.ts';
import type { InboundMessage, InboundSender } from '../core.ts';
import type { InboxOutcome } from '../durable-inbox.ts';

export type IgnoreReason =
  'own-outgoing' | 'own-send' | 'not-private' | 'service' | 'bot' | 'no-sender' | 'denied' | 'not-allowed';
export type IncomingOutcome = InboxOutcome | `ignored-${IgnoreReason}`;

export interface TelegramIncomingDeps {
  /** The gateway core, or the durable inbox in front of it (which may answer 'queued'). */
  gateway: { receive(message: InboundMessage): Promise<InboxOutcome> };
  config: Pick<Config, 'ownerTelegramId' | 'telegramAllowUserIds' | 'telegramDenyUserIds' | 'maxFileMb' | 'dataDir'>;
  /** GramJS `client.downloadMedia` (the one network call here). */
  download(message: Api.Message): Promise<Buffer | undefined>;
  chatQueue?: ChatQueueOptions;
  /**
   * The owner's Saved Messages as control chat (control-chat.ts): says which messages
   * there the owner typed and which the assistant sent. Without it, Saved Messages are
   * the owner's own business, like every outgoing message.
   */
  savedMessages?: { classify(message: Api.Message): Promise<'owner' | 'own-send' | undefined> };
  /**
   * Whether the sender's access hash is this account's (kept on the person, to write to them
   * later). A companion bot sees other hashes than the owner's account: it keeps its own.
   */
  keepAccessHash?: boolean;
}

/** The chat a message belongs to (for a private chat, the other person), known without a network call. */
export function chatKeyOf(message: Api.Message): string {
  return message.chatId?.toString() ?? 'unknown-chat';
}

export class TelegramIncoming {
  /** One chat's messages one after another, media downloads included (see chat-queue.ts). */
  private readonly chats: ChatQueues;

  constructor(private readonly deps: TelegramIncomingDeps) {
    this.chats = new ChatQueues(deps.chatQueue);
  }

  /**
   * Handles a message after the earlier ones of its chat. Call it in Telegram's order (as
   * GramJS dispatches updates, as catch-up reads them): the place in line is taken at the call.
   */
  handle(message: Api.Message): Promise<IncomingOutcome> {
    return this.chats.run(chatKeyOf(message), () => this.handleNow(message));
  }

  private async handleNow(message: Api.Message): Promise<IncomingOutcome> {
    const inSavedMessages = await this.deps.savedMessages?.classify(message);
    const reason =
      inSavedMessages === 'own-send' ? 'own-send' : inSavedMessages ? undefined : await this.ignoreReason(message);
    if (reason) {
      log.debug('Telegram message ignored', { reason, messageId: message.id });
      return `ignored-${reason}`;
    }
    const sender = (message.sender ?? (await message.getSender())) as Api.User;
    const from: InboundSender = {
      telegramId: Number(sender.id.toString()),
      accessHash: this.deps.keepAccessHash === false ? undefined : sender.accessHash?.toString(),
      username: sender.username ?? undefined,
      firstName: sender.firstName ?? undefined,
      lastName: sender.lastName ?? undefined,
      phone: sender.phone ?? undefined,
    };
    const { attachments, notes } = await this.contentOf(message, from.telegramId);
    return this.deps.gateway.receive({
      from,
      messageId: message.id,
      text: message.message ?? '',
      date: new Date(message.date * 1000),
      attachments,
      notes,
    });
  }

  private async ignoreReason(message: Api.Message): Promise<IgnoreReason | undefined> {
    const { config } = this.deps;
    if (message.out) return 'own-outgoing';
    if (!message.isPrivate) return 'not-private';
    if (message instanceof TL.MessageService || message.action) return 'service';
    const sender = message.sender ?? (await message.getSender().catch(() => undefined));
    if (!(sender instanceof TL.User)) return 'no-sender';
    if (sender.bot) return 'bot';
    if (sender.self) return 'own-outgoing';
    const id = Number(sender.id.toString());
    if (config.telegramDenyUserIds.includes(id)) return 'denied';
    if (
      config.telegramAllowUserIds.length > 0 &&
      id !== config.ownerTelegramId &&
      !config.telegramAllowUserIds.includes(id)
    ) {
      return 'not-allowed';
    }
    return undefined;
  }

  /** Saves what can be kept, and describes everything else in words the model can use. */
  private async contentOf(
    message: Api.Message,
    telegramId: number,
  ): Promise<{ attachments: Attachment[]; notes: string[] }> {
    const attachments: Attachment[] = [];
    const notes: string[] = [];
    const media = message.media;
    if (!media || media instanceof TL.MessageMediaWebPage || media instanceof TL.MessageMediaEmpty) {
      return { attachments, notes };
    }
    const file = message.file;
    if (message.sticker) {
      notes.push(`[Sent a sticker${file?.emoji ? ` ${file.emoji}` : ''}]`);
    } else if (message.voice || message.photo || message.document) {
      const kind: Attachment['kind'] = message.voice ? 'voice' : message.photo ? 'photo' : 'file';
      const fileName = file?.name || (kind === 'voice' ? 'voice.ogg' : kind === 'photo' ? 'photo.jpg' : 'file');
      const sizeBytes = Number(file?.size?.toString() ?? 0);
      const limit = this.deps.config.maxFileMb * 1024 * 1024;
      if (sizeBytes > limit) {
        notes.push(
          `[Sent ${kind === 'voice' ? 'a voice note' : `a file "${fileName}"`} of ${(sizeBytes / 1048576).toFixed(1)} MB, over the ${this.deps.config.maxFileMb} MB limit: it was not saved]`,
        );
      } else {
        const content = await this.deps.download(message).catch((err: unknown) => {
          log.warn('Telegram media download failed', { messageId: message.id, error: String(err) });
          return undefined;
        });
        if (!content) {
          notes.push(`[Sent ${kind === 'voice' ? 'a voice note' : `"${fileName}"`}, but it could not be downloaded]`);
        } else {
          const path = await saveIncomingFile(this.deps.config.dataDir, telegramId, message.id, fileName, content);
          attachments.push({
            kind,
            path,
            fileName,
            mimeType: file?.mimeType ?? (kind === 'photo' ? 'image/jpeg' : 'application/octet-stream'),
            sizeBytes: content.length,
            ...(kind === 'voice' && audioDuration(message.voice)
              ? { durationSeconds: audioDuration(message.voice) }
              : {}),
          });
        }
      }
    } else if (media instanceof TL.MessageMediaPoll) {
      const answers = media.poll.answers.map((a) => a.text.text).join(' / ');
      notes.push(`[Sent a poll: "${media.poll.question.text}" — options: ${answers}]`);
    } else if (media instanceof TL.MessageMediaVenue) {
      notes.push(`[Shared a place: ${media.title}, ${media.address}${geoText(media.geo)}]`);
    } else if (media instanceof TL.MessageMediaGeo || media instanceof TL.MessageMediaGeoLive) {
      notes.push(`[Shared a location${geoText(media.geo)}]`);
    } else if (media instanceof TL.MessageMediaContact) {
      notes.push(
        `[Shared a contact: ${[media.firstName, media.lastName].filter(Boolean).join(' ')}, ${media.phoneNumber}]`,
      );
    } else if (media instanceof TL.MessageMediaDice) {
      notes.push(`[Rolled a ${media.emoticon}: ${media.value}]`);
    } else {
      notes.push(`[Sent something this assistant cannot open (${media.className.replace('MessageMedia', '')})]`);
    }
    return { attachments, notes };
  }
}

// Read from the attributes directly: GramJS's File.duration getter throws (it passes an
// array to `instanceof`).
function audioDuration(document: Api.Document | undefined): number | undefined {
  const attribute = document?.attributes.find((a) => a instanceof TL.DocumentAttributeAudio);
  return attribute instanceof TL.DocumentAttributeAudio ? attribute.duration : undefined;
}

function geoText(geo: Api.TypeGeoPoint): string {
  return geo instanceof TL.GeoPoint ? ` at ${geo.lat.toFixed(5)}, ${geo.long.toFixed(5)}` : '';
}
