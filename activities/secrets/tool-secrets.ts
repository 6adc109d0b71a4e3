// Secrets the owner hands to a tool (an MCP server's headers and env values) leave the
// conversation as soon as the model's answer arrives: each value is sealed into the
// database (StoredSecret, AES-256-GCM with the payload key) under the tool call's id and
// replaced by "[secret stored]". The tool call therefore reaches Temporal history and
// every later model request without it; the tool, when it runs, gets the real values
// back from the database. Values seen once are also scrubbed from what is sent to the
// model later (the owner's own message that carried them).
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { openText, sealText } from '../../infra/payload-codec.ts';
import type { PayloadKeyring } from '../../infra/payload-codec.ts';
import { loadPayloadKeyring } from '../../infra/payload-keys.ts';
import { SECRET_PLACEHOLDER } from '../../contracts/domain.ts';
import type { ChatMessage, ContentBlock, TextRedaction } from '../../contracts/domain.ts';
import { findRedactions } from '../../pure/redaction.ts';

export { SECRET_PLACEHOLDER };

/** Which parts of which tool's input are secrets: maps of name → secret value. */
const SECRET_MAPS: Record<string, readonly string[]> = {
  mcp_add_server: ['headers', 'env'],
};

/** Secrets shorter than this are not scrubbed from free text (they would match ordinary words). */
const MIN_SCRUB_LENGTH = 8;

/**
 * What of a secret value may appear in free text: the value, and its words long enough
 * to be secret on their own (the owner types the token; the header holds "Bearer <token>").
 */
function scrubbableParts(values: string[]): string[] {
  const parts = values.flatMap((value) => [value, ...value.split(/\s+/)]);
  return [...new Set(parts.filter((part) => part.length >= MIN_SCRUB_LENGTH))];
}

export class ToolSecrets {
  private keyringCache: PayloadKeyring | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'dataDir' | 'temporalPayloadKey' | 'temporalPayloadOldKeys'>,
  ) {}

  private get keyring(): PayloadKeyring {
    this.keyringCache ??= loadPayloadKeyring(this.config);
    return this.keyringCache;
  }

  /**
   * The model's blocks with every secret sealed away (idempotent per tool call id), and
   * where the conversation that was sent holds those values (the owner's own message).
   */
  async storeFrom(
    blocks: ContentBlock[],
    sent: ChatMessage[],
  ): Promise<{ content: ContentBlock[]; redactions: TextRedaction[] }> {
    const stored: string[] = [];
    const content = await Promise.all(
      blocks.map(async (block) => {
        if (block.type !== 'tool_use' || !SECRET_MAPS[block.name]) return block;
        const input = { ...block.input };
        for (const map of SECRET_MAPS[block.name]!) {
          const values = input[map];
          if (!isStringMap(values)) continue;
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(values)) {
            if (value === SECRET_PLACEHOLDER) {
              kept[name] = value;
              continue;
            }
            const key = { toolUseId: block.id, field: `${map}.${name}` };
            const sealed = sealText(this.keyring, value);
            await this.db.storedSecret.upsert({
              where: { toolUseId_field: key },
              create: { ...key, sealed },
              update: { sealed },
            });
            kept[name] = SECRET_PLACEHOLDER;
            stored.push(value);
          }
          input[map] = kept;
        }
        return { ...block, input };
      }),
    );
    const scrubbable = scrubbableParts(stored);
    return { content, redactions: scrubbable.length ? findRedactions(sent, scrubbable) : [] };
  }

  /**
   * The tool's input with the real values back, for running the tool. A placeholder the
   * model wrote in a call of its own (no secret stored under that call) is reported, so
   * the owner is asked again instead of a server being configured with "[secret stored]".
   */
  async restore(
    toolUseId: string,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ input: Record<string, unknown>; missing: string[] }> {
    const maps = SECRET_MAPS[name];
    if (!maps) return { input, missing: [] };
    const rows = await this.db.storedSecret.findMany({ where: { toolUseId } });
    const stored = new Map(rows.map((row) => [row.field, row.sealed]));
    const restored = { ...input };
    const missing: string[] = [];
    for (const map of maps) {
      const values = restored[map];
      if (!isStringMap(values)) continue;
      restored[map] = Object.fromEntries(
        Object.entries(values).map(([key, value]) => {
          if (value !== SECRET_PLACEHOLDER) return [key, value];
          const sealed = stored.get(`${map}.${key}`);
          if (!sealed) missing.push(`${map}.${key}`);
          return [key, sealed ? openText(this.keyring, sealed) : value];
        }),
      );
    }
    return { input: restored, missing };
  }

  /** Messages for the model with every stored secret value replaced by the placeholder. */
  async scrub(messages: ChatMessage[]): Promise<ChatMessage[]> {
    const rows = await this.db.storedSecret.findMany({ select: { sealed: true } });
    const values = scrubbableParts(
      rows.map((row) => {
        try {
          return openText(this.keyring, row.sealed);
        } catch {
          return ''; // sealed with a key since removed: nothing to scrub with
        }
      }),
    )
      // Longest first, so a secret that contains another is replaced whole.
      .sort((a, b) => b.length - a.length);
    if (values.length === 0) return messages;
    const clean = (text: string) => values.reduce((t, v) => t.split(v).join(SECRET_PLACEHOLDER), text);
    return messages.map((message) => ({
      ...message,
      content: message.content.map((block) => scrubBlock(block, clean)),
    }));
  }
}

function scrubBlock(block: ContentBlock, clean: (text: string) => string): ContentBlock {
  if (block.type === 'text') return { ...block, text: clean(block.text) };
  if (block.type === 'tool_result' && typeof block.content === 'string')
    return { ...block, content: clean(block.content) };
  return block;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
