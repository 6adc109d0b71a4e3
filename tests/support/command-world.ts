// A scripted Claude that turns chat lines into tool calls: each test maps what a person
// writes to the tool call it means, and the tool's answer comes back as the reply.
import { endsWithToolResult } from './negotiation-world.ts';
import { lastUserTexts, say, toolResults, useTool } from './scripted-claude.ts';
import type { RecordedRequest, ScriptedReply } from './scripted-claude.ts';

export type ToolCallFor = (text: string) => { name: string; input: Record<string, unknown> } | undefined;

export function commandWorld(callFor: ToolCallFor, other?: (request: RecordedRequest) => ScriptedReply | undefined) {
  return (request: RecordedRequest): ScriptedReply => {
    const special = other?.(request);
    if (special) return special;
    if (endsWithToolResult(request)) return say(String(toolResults(request).at(-1).content));
    const text = lastUserTexts(request).at(-1) ?? '';
    const call = callFor(text);
    return call ? useTool(call.name, call.input) : say(`(no command) ${text}`);
  };
}
