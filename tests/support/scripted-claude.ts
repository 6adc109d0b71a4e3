// A scripted Anthropic Messages API on 127.0.0.1: the real `@anthropic-ai/sdk` talks
// to it over HTTP, and each test scripts what "Claude" answers. Like the real API it
// refuses requests that break the API's rules (tests/support/messages-api-rules.ts), and
// it can report `usage` with prompt caching emulated (tests/support/prompt-cache.ts).
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessagesRequest } from './messages-api-rules.ts';
import type { ApiError } from './messages-api-rules.ts';
import { estimateTokens, PromptCache } from './prompt-cache.ts';

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  // The Messages API request body, as the SDK sent it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export type ScriptedBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'pause_turn' | 'stop_sequence';

export type ScriptedReply =
  /** `content` may be empty, as the real API sometimes answers; `stopReason` defaults from the content. */
  | { content: ScriptedBlock[]; stopReason?: StopReason }
  | { status: number; errorType: string; message: string; headers?: Record<string, string> }
  /** Never answer: the connection stays open until the client goes away. */
  | { hang: true };

export type ClaudeScript = (request: RecordedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

export const say = (text: string): ScriptedReply => ({ content: [{ type: 'text', text }] });
export const useTool = (name: string, input: Record<string, unknown>): ScriptedReply => ({
  content: [{ type: 'tool_use', name, input }],
});

export interface ScriptedClaudeOptions {
  /** Report usage with prompt caching emulated, instead of the fixed 100/20/80 tokens. */
  emulateCache?: boolean;
}

export class ScriptedClaude {
  readonly requests: RecordedRequest[] = [];
  /** Requests refused because the real API would refuse them, with the API's error. */
  readonly rejected: Array<{ index: number; error: ApiError }> = [];
  script: ClaudeScript = () => say('OK');
  private readonly cache: PromptCache | undefined;
  private server: Server | undefined;
  private toolIds = 0;
  private listeners: Array<() => void> = [];

  constructor(options: ScriptedClaudeOptions = {}) {
    this.cache = options.emulateCache ? new PromptCache() : undefined;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const recorded: RecordedRequest = {
          headers: req.headers,
          body: JSON.parse(raw.toString() || '{}'),
        };
        const index = this.requests.push(recorded) - 1;
        this.listeners.forEach((l) => l());
        const refusal = checkMessagesRequest(recorded.body, raw.length);
        if (refusal) {
          this.rejected.push({ index, error: refusal });
          res.writeHead(refusal.status, { 'content-type': 'application/json', 'request-id': `req_${index}` });
          res.end(JSON.stringify({ type: 'error', error: { type: refusal.type, message: refusal.message } }));
          return;
        }
        void Promise.resolve(this.script(recorded, index)).then((reply) => {
          if ('hang' in reply) return;
          if ('status' in reply) {
            res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
            res.end(JSON.stringify({ type: 'error', error: { type: reply.errorType, message: reply.message } }));
            return;
          }
          const content = reply.content.map((b) =>
            b.type === 'tool_use' ? { ...b, id: b.id ?? `toolu_${++this.toolIds}` } : b,
          );
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${index}` });
          res.end(
            JSON.stringify({
              id: `msg_${index}`,
              type: 'message',
              role: 'assistant',
              model: recorded.body.model,
              content,
              stop_reason: reply.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
              stop_sequence: null,
              usage: this.cache
                ? { ...this.cache.use(recorded.body), output_tokens: estimateTokens(content) }
                : { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 80 },
            }),
          );
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.requests.length >= count) {
          this.listeners = this.listeners.filter((l) => l !== check);
          resolve();
        }
      };
      this.listeners.push(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBlock = any;

/** The texts of the newest user message that has text (what the person just said, plus context lines). */
export function lastUserTexts(request: RecordedRequest): string[] {
  const messages = request.body.messages as Array<{ role: string; content: AnyBlock[] }>;
  const last = [...messages]
    .reverse()
    .find((m) => m.role === 'user' && m.content.some((b: AnyBlock) => b.type === 'text'));
  return last ? last.content.filter((b: AnyBlock) => b.type === 'text').map((b: AnyBlock) => b.text as string) : [];
}

export function offeredToolNames(request: RecordedRequest): string[] {
  return ((request.body.tools ?? []) as Array<{ name: string }>).map((t) => t.name).sort();
}

/**
 * tool_result blocks the request carries back to the model, read the way a model reads
 * them: output the session quoted as data (pure/provenance.ts) comes without its frame.
 * `rawToolResults` keeps the frame.
 */
export function toolResults(request: RecordedRequest): AnyBlock[] {
  return rawToolResults(request).map((b: AnyBlock) =>
    typeof b.content === 'string' ? { ...b, content: unquoted(b.content) } : b,
  );
}

export function rawToolResults(request: RecordedRequest): AnyBlock[] {
  return (request.body.messages as Array<{ content: AnyBlock[] }>)
    .flatMap((m) => m.content)
    .filter((b: AnyBlock) => b.type === 'tool_result');
}

/** The text inside a quote's delimiters (`⟦id⟧` … `⟦/id⟧`, each line prefixed "│ "); other text as is. */
export function unquoted(text: string): string {
  const match = /^\[[^\n]*\]\n⟦(q\d+)⟧\n([\s\S]*)\n⟦\/\1⟧$/.exec(text);
  if (!match) return text;
  return match[2]!
    .split('\n')
    .map((line) => line.replace(/^│ /, ''))
    .join('\n');
}
