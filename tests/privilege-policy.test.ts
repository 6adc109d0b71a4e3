// The privilege policy as a pure function: which owner tool calls run, wait for the
// owner's "yes", or are refused, from the turn's trust alone (no model, no database).
import { describe, expect, it } from 'vitest';
import type { Origin, TurnTrust } from '../contracts/provenance.ts';
import { ownerAskedFor, readConfirmation } from '../pure/owner-intent.ts';
import { decideToolCall, riskOf } from '../pure/privilege-policy.ts';
import type { CallFacts } from '../pure/privilege-policy.ts';

const anna: Origin = { kind: 'contact', telegramId: 7, name: 'Anna' };
const owner = (ownerWords: string, untrusted: Origin[] = [anna]): TurnTrust => ({
  startedBy: 'owner',
  ownerWords,
  untrusted,
});
const named: CallFacts = { targetNamed: true, ownerNamesAnyone: true, targetIsLatestSpeaker: true };
const unnamed: CallFacts = { targetNamed: false, ownerNamesAnyone: false, targetIsLatestSpeaker: true };
const other: CallFacts = { targetNamed: false, ownerNamesAnyone: true, targetIsLatestSpeaker: true };

describe('risk classes', () => {
  it('reads and own notes are not outward; negotiations, MCP admin, forgetting and tasks for others are', () => {
    expect(riskOf('list_conversations').risk).toBe('read');
    expect(riskOf('memory_save').risk).toBe('own-data');
    expect(riskOf('set_reminder').risk).toBe('own-data');
    for (const tool of [
      'mcp_add_server',
      'mcp_remove_server',
      'memory_forget',
      'start_conversation',
      'cancel_conversation',
      'answer_conversation',
      'create_task',
      'set_contact_blocked',
    ]) {
      expect(riskOf(tool).risk, tool).toBe('outward');
    }
  });

  it('an MCP tool is outward unless its server marks it read-only; an unknown tool is outward', () => {
    expect(riskOf('mcp__gh__create_issue', { readOnly: false })).toEqual({ risk: 'outward', kind: 'mcp' });
    expect(riskOf('mcp__gh__search', { readOnly: true }).risk).toBe('read');
    expect(riskOf('something_new').risk).toBe('outward');
  });
});

describe('decideToolCall', () => {
  const forget = riskOf('memory_forget');
  const cancel = riskOf('cancel_conversation');
  const addServer = riskOf('mcp_add_server');

  it('reads and own-data tools run in any turn, even one started by a scheduled job', () => {
    const job: TurnTrust = { startedBy: 'scheduled-job', ownerWords: '', untrusted: [anna] };
    expect(decideToolCall(riskOf('memory_search'), job, unnamed).verdict).toBe('run');
    expect(decideToolCall(riskOf('memory_save'), job, unnamed).verdict).toBe('run');
  });

  it('turns not started by the owner may not act outward, whatever the context', () => {
    for (const startedBy of ['scheduled-job', 'conversation'] as const) {
      expect(decideToolCall(cancel, { startedBy, ownerWords: 'cancel it', untrusted: [] }, named).verdict).toBe(
        'refuse',
      );
    }
  });

  it("runs outward actions when only the owner's words are in the context", () => {
    expect(decideToolCall(forget, owner('hmm', []), unnamed).verdict).toBe('run');
  });

  it("with others' words in the context, runs only what the owner's own words ask for", () => {
    expect(decideToolCall(cancel, owner('cancel the meeting with Anna'), named).verdict).toBe('run');
    expect(decideToolCall(cancel, owner('cancel it'), unnamed).verdict).toBe('run');
    // The owner named someone else: this cancellation is not theirs.
    expect(decideToolCall(cancel, owner('cancel the meeting with Boris'), other).verdict).toBe('confirm');
    // The owner asked a question; the instruction came from Anna's words.
    expect(decideToolCall(cancel, owner('what did Anna say?'), named).verdict).toBe('confirm');
    expect(decideToolCall(forget, owner('ok thanks'), { ...unnamed, targetNamed: 'no-target' }).verdict).toBe(
      'confirm',
    );
    // "Cancel it" answers the latest notice: Anna's words cannot point "it" at Boris's conversation.
    expect(decideToolCall(cancel, owner('cancel it'), { ...unnamed, targetIsLatestSpeaker: false }).verdict).toBe(
      'confirm',
    );
    expect(decideToolCall(addServer, owner('ok'), unnamed).verdict).toBe('confirm');
  });

  it('MCP tools, new conversations and blocks need their target named by the owner', () => {
    const mcp = riskOf('mcp__gh__create_issue', { readOnly: false });
    expect(decideToolCall(mcp, owner('sounds good'), unnamed).verdict).toBe('confirm');
    expect(decideToolCall(mcp, owner('open an issue in gh about it'), named).verdict).toBe('run');
    const start = riskOf('start_conversation');
    expect(decideToolCall(start, owner('ask her when she is free'), unnamed).verdict).toBe('confirm');
    expect(decideToolCall(start, owner('ask Boris when he is free'), named).verdict).toBe('run');
  });

  it("the owner's confirmation of the exact action lets it run", () => {
    expect(decideToolCall(forget, { ...owner('yes'), confirmedActionId: 's/1' }, unnamed).verdict).toBe('run');
  });
});

describe("the owner's words", () => {
  it('name kinds of action in English and Russian', () => {
    expect(ownerAskedFor('answer', "accept Anna's time")).toBe(true);
    expect(ownerAskedFor('answer', 'прими время Анны')).toBe(true);
    expect(ownerAskedFor('cancel', 'отмени встречу с Борисом')).toBe(true);
    expect(ownerAskedFor('forget', 'забудь про бюджет')).toBe(true);
    expect(ownerAskedFor('forget', 'forget the budget thing')).toBe(true);
    // "Forget it" is "never mind".
    expect(ownerAskedFor('forget', 'forget it')).toBe(false);
    expect(ownerAskedFor('forget', 'забудь об этом')).toBe(false);
    expect(ownerAskedFor('add-server', 'подключи сервер погоды')).toBe(true);
    expect(ownerAskedFor('contact', 'договорись с Анной о встрече')).toBe(true);
    expect(ownerAskedFor('contact', 'Find an hour with @anna on Friday')).toBe(true);
    expect(ownerAskedFor('task', 'give Dana the slides')).toBe(true);
    // A nod, a question or thanks asks for nothing.
    for (const words of ['ok', 'thanks', 'what did she say?', 'да', 'tell me more']) {
      expect(ownerAskedFor('answer', words), words).toBe(false);
      expect(ownerAskedFor('forget', words), words).toBe(false);
    }
  });

  it('a confirmation is a whole plain yes or no', () => {
    expect(readConfirmation('Yes!')).toBe('yes');
    expect(readConfirmation('да')).toBe('yes');
    expect(readConfirmation('no')).toBe('no');
    expect(readConfirmation('нет')).toBe('no');
    expect(readConfirmation('yes, and tell Anna hi')).toBeNull();
    expect(readConfirmation('what is this?')).toBeNull();
  });
});
