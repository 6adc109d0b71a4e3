// A scripted Claude for negotiation tests, playing both sides: the owner's assistant
// (starts conversations, passes on the owner's decisions) and a contact's assistant
// (writes what the negotiation instructs, records what the contact says). Contacts in
// the tests write in a tiny fixed language the contact's "model" understands:
//   propose <YYYY-MM-DDTHH:MM> <YYYY-MM-DDTHH:MM> <IANA zone> | confirm | answer <text> | decline
import { lastUserTexts, say, toolResults, useTool } from './scripted-claude.ts';
import type { RecordedRequest, ScriptedReply } from './scripted-claude.ts';

export interface OwnerCommandsScript {
  /** Owner message text → the start_conversation input it means. */
  starts: Map<string, Record<string, unknown>>;
}

const TASK_ID = /Conversation ([0-9a-f-]{36}) \((\w+),/g;
const CONVERSATION_IN_TEXT = /conversation ([0-9a-f-]{36})/g;

export function isOwnerRequest(request: RecordedRequest): boolean {
  return (request.body.system[0].text as string).includes('You are Jobs');
}

export function contactTasks(request: RecordedRequest): Array<{ id: string; type: string }> {
  return [...(request.body.system[0].text as string).matchAll(TASK_ID)].map((m) => ({ id: m[1]!, type: m[2]! }));
}

export function endsWithToolResult(request: RecordedRequest): boolean {
  const last = request.body.messages.at(-1) as { content: Array<{ type: string }> };
  return last.content.some((b) => b.type === 'tool_result');
}

export function negotiationWorld(script: OwnerCommandsScript) {
  return (request: RecordedRequest): ScriptedReply => {
    const text = lastUserTexts(request).at(-1) ?? '';
    if (isOwnerRequest(request)) {
      if (endsWithToolResult(request)) return say(`Owner assistant: ${toolResults(request).at(-1).content}`);
      const start = script.starts.get(text);
      if (start) return useTool('start_conversation', start);
      // The newest conversation id the owner's context mentions.
      const ids = [...JSON.stringify(request.body.messages).matchAll(CONVERSATION_IN_TEXT)].map((m) => m[1]!);
      const id = ids.at(-1);
      if (text === 'accept it' && id) return useTool('answer_conversation', { id, decision: 'accept' });
      if (text === 'cancel it' && id) return useTool('cancel_conversation', { id });
      if (text === 'how is it going?' && id) return useTool('get_conversation_status', { id });
      const moveTo = /^move it to (\S+) (\S+)$/.exec(text);
      if (moveTo && id) return useTool('reschedule_meeting', { id, start: moveTo[1], end: moveTo[2] });
      return say('Noted.');
    }

    if (endsWithToolResult(request)) return say(`(recorded) ${toolResults(request).at(-1).content}`);
    if (text.startsWith('[Instruction')) return say(`→ ${text.replace(/^\[Instruction[^\]]*\]: /, '')}`);
    const tasks = contactTasks(request);
    const meeting = tasks.find((t) => t.type === 'meeting');
    const question = tasks.find((t) => t.type === 'question');
    const [verb, ...args] = text.split(' ');
    if (verb === 'propose' && meeting) {
      return useTool('update_conversation', {
        task_id: meeting.id,
        kind: 'proposal',
        start: args[0],
        end: args[1],
        time_zone: args[2],
      });
    }
    if (verb === 'confirm' && meeting)
      return useTool('update_conversation', { task_id: meeting.id, kind: 'confirmed' });
    if (verb === 'decline' && meeting) return useTool('update_conversation', { task_id: meeting.id, kind: 'declined' });
    if (verb === 'answer' && question) {
      return useTool('update_conversation', { task_id: question.id, kind: 'answered', note: args.join(' ') });
    }
    if (verb === 'tamper') {
      // A contact talking the model into acting on a conversation that is not theirs.
      return useTool('update_conversation', { task_id: args[0], kind: 'answered', note: 'hijacked' });
    }
    return say('Thanks for your message!');
  };
}
