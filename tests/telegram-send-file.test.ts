// Files sent by path from a person's workspace (a tool's image for the owner) through
// the MTProto transport, with GramJS's own request types: uploaded in 512 KB parts under
// a file id and random_id derived from the idempotency key (a retry sends the same ones,
// so Telegram delivers once), and never from another person's folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from 'telegram';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { TelegramTransport } from '../gateway/telegram/outgoing.ts';

const dataDir = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'send-file-'));
const OWNER = 1001;

function fakeTelegram() {
  const requests: Api.AnyRequest[] = [];
  const transport = new TelegramTransport({
    dataDir,
    sendIntervalMs: 0,
    peerFor: async () => new Api.InputPeerSelf(),
    invoke: (async (request: Api.AnyRequest) => {
      requests.push(request);
      if (request instanceof Api.upload.SaveFilePart) return true;
      if (request instanceof Api.messages.SendMedia) {
        return new Api.Updates({
          updates: [new Api.UpdateMessageID({ id: 77, randomId: request.randomId })],
          users: [],
          chats: [],
          date: 0,
          seq: 0,
        });
      }
      throw new Error(`unexpected ${request.className}`);
    }) as never,
  });
  return { transport, requests };
}

describe('sending a workspace file over MTProto', () => {
  it('uploads in parts and sends once-keyed media; a retry repeats the same ids', async () => {
    mkdirSync(join(dataDir, 'workspace', String(OWNER), 'mcp'), { recursive: true });
    const bytes = Buffer.alloc(1_200_000, 7);
    writeFileSync(join(dataDir, 'workspace', String(OWNER), 'mcp', 'picture.png'), bytes);
    const { transport, requests } = fakeTelegram();
    const input = {
      chatId: OWNER,
      fileName: 'picture.png',
      mimeType: 'image/png',
      content: '',
      path: `${OWNER}/mcp/picture.png`,
      caption: 'The chart',
      idempotencyKey: 'session-1001/notice/file/x',
    };
    expect(await transport.sendFile(input)).toBe(77);
    const parts = requests.filter((r) => r instanceof Api.upload.SaveFilePart) as Api.upload.SaveFilePart[];
    expect(parts.map((p) => p.filePart)).toEqual([0, 1, 2]);
    expect(Buffer.concat(parts.map((p) => p.bytes))).toEqual(bytes);
    const media = requests.find((r) => r instanceof Api.messages.SendMedia) as Api.messages.SendMedia;
    expect(media.message).toBe('The chart');
    const document = media.media as Api.InputMediaUploadedDocument;
    expect((document.file as Api.InputFile).parts).toBe(3);
    expect(document.mimeType).toBe('image/png');

    await transport.sendFile(input);
    const medias = requests.filter((r) => r instanceof Api.messages.SendMedia) as Api.messages.SendMedia[];
    expect(medias).toHaveLength(2);
    expect(String(medias[1]!.randomId)).toBe(String(medias[0]!.randomId));
    expect(((medias[1]!.media as Api.InputMediaUploadedDocument).file as Api.InputFile).id.toString()).toBe(
      ((medias[0]!.media as Api.InputMediaUploadedDocument).file as Api.InputFile).id.toString(),
    );
  });

  it("refuses a path into another person's folder, without retrying", async () => {
    mkdirSync(join(dataDir, 'workspace', '2002'), { recursive: true });
    writeFileSync(join(dataDir, 'workspace', '2002', 'secret.txt'), 'not yours');
    const { transport, requests } = fakeTelegram();
    const sending = transport.sendFile({
      chatId: OWNER,
      fileName: 'secret.txt',
      mimeType: 'text/plain',
      content: '',
      path: '2002/secret.txt',
      caption: '',
      idempotencyKey: 'k',
    });
    await expect(sending).rejects.toMatchObject({ nonRetryable: true });
    expect(requests.filter((r) => r instanceof Api.messages.SendMedia)).toHaveLength(0);
  });
});
