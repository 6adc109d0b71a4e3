// A scripted Claude that turns chat lines into tool calls: each test says what a person
// writes and the tool call it means, and the tool's answer comes back as the reply.
import type { InboundSender } from '../../gateway/core.ts';
import { endsWithToolResult } from './negotiation-world.ts';
import { lastUserTexts, say, toolResults, useTool } from './scripted-claude.ts';
import type { RecordedRequest, ScriptedReply } from './scripted-claude.ts';
import type { TestStack } from './stack.ts';

export class CommandChat {
  private readonly commands = new Map<string, { name: string; input: Record<string, unknown> }>();

  constructor(private readonly stack: Pick<TestStack, 'send' | 'telegram'>) {}

  /** The Claude script; `other` may answer a request first (e.g. a heartbeat check). */
  script(other?: (request: RecordedRequest) => ScriptedReply | undefined) {
    return (request: RecordedRequest): ScriptedReply => {
      const special = other?.(request);
      if (special) return special;
      if (endsWithToolResult(request)) return say(String(toolResults(request).at(-1).content));
      const text = lastUserTexts(request).at(-1) ?? '';
      const call = this.commands.get(text);
      return call ? useTool(call.name, call.input) : say(`(no command) ${text}`);
    };
  }

  /** From now on, `text` makes the model call `tool(input)`. */
  means(text: string, tool: string, input: Record<string, unknown> = {}): void {
    this.commands.set(text, { name: tool, input });
  }

  /** `from` writes `text` (meaning `tool(input)` when given); resolves with the reply. */
  async says(from: InboundSender, text: string, tool?: string, input: Record<string, unknown> = {}): Promise<string> {
    if (tool) this.means(text, tool, input);
    const since = this.stack.telegram.messagesTo(from.telegramId).length;
    await this.stack.send(from, text);
    const [reply] = await this.stack.telegram.waitForMessages(from.telegramId, 1, since);
    return reply!.text;
  }
}
