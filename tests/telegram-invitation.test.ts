// The .ics invitation through the gateway's own MTProto transport (GramJS over a fake
// sender that answers like Telegram): uploaded as one file part and sent as a document
// with its file name and MIME type; a retried send uses the same ids, so one arrives.
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { describe, expect, it } from 'vitest';
import { TelegramTransport } from '../gateway/telegram/outgoing.ts';
import { createOfflineTelegram } from './support/offline-telegram.ts';

describe('an invitation file through GramJS', () => {
  it('is uploaded and sent as a calendar document, once however often the send is retried', async () => {
    const tg = createOfflineTelegram(1);
    const telegramDefault = tg.sender.answer;
    tg.sender.answer = function (request) {
      if (request instanceof Api.upload.SaveFilePart) return true;
      // Telegram de-duplicates SendMedia by random_id per peer, as it does SendMessage.
      if (request instanceof Api.messages.SendMedia)
        return this.deliver(request as unknown as Api.messages.SendMessage);
      return telegramDefault.call(this, request);
    };
    const transport = new TelegramTransport({
      invoke: (request) => tg.client.invoke(request),
      peerFor: async (chatId) => new Api.InputPeerUser({ userId: bigInt(chatId), accessHash: bigInt(7) }),
      sendIntervalMs: 0,
    });
    const ics = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    const input = {
      chatId: 42,
      fileName: 'invite.ics',
      mimeType: 'text/calendar',
      content: ics,
      caption: '📅 Invitation: meeting of Olga and Anna',
      idempotencyKey: 'negotiation-n1/invitation-REQUEST',
    };
    const first = await transport.sendFile(input);
    const retried = await transport.sendFile(input);
    expect(retried).toBe(first);
    expect(tg.sender.delivered.size).toBe(1);

    const parts = tg.sender.requests.filter((r): r is Api.upload.SaveFilePart => r instanceof Api.upload.SaveFilePart);
    expect(Buffer.from(parts[0]!.bytes).toString('utf8')).toBe(ics);
    const sends = tg.sender.requests.filter((r): r is Api.messages.SendMedia => r instanceof Api.messages.SendMedia);
    expect(sends).toHaveLength(2);
    expect(String(sends[0]!.randomId)).toBe(String(sends[1]!.randomId));
    const media = sends[0]!.media as Api.InputMediaUploadedDocument;
    expect(media.mimeType).toBe('text/calendar');
    expect((media.file as Api.InputFile).id.toString()).toBe(parts[0]!.fileId.toString());
    expect(media.attributes).toEqual([expect.objectContaining({ fileName: 'invite.ics' })]);
    expect(sends[0]!.message).toBe(input.caption);
  });
});
