// The privilege policy of the owner's tools, enforced where tools execute (executeTool),
// whatever the prompt or the model says. Pure, unit-tested (tests/privilege-policy.test.ts).
//
// Every owner tool has a risk class. Reading and the owner's own notes always run. An
// action that reaches other people or cannot be undone runs only in a turn the owner
// started with their own message, and then only if (a) nobody else's words are in the
// context, or (b) the owner's own words ask for this kind of action on this target, or
// (c) the owner confirmed this exact action ("yes", or a tap on the button).
import type { TurnTrust } from '../contracts/provenance.ts';
import { ownerAskedFor } from './owner-intent.ts';
import type { ActionKind } from './owner-intent.ts';

export type RiskClass = 'read' | 'own-data' | 'outward';

interface ToolRisk {
  risk: RiskClass;
  /** How the owner names the action (outward tools only). */
  kind?: ActionKind;
}

const OWNER_TOOLS: Record<string, ToolRisk> = {
  list_contacts: { risk: 'read' },
  find_person: { risk: 'read' },
  get_person: { risk: 'read' },
  list_tasks: { risk: 'read' },
  list_reminders: { risk: 'read' },
  memory_search: { risk: 'read' },
  get_conversation_status: { risk: 'read' },
  list_conversations: { risk: 'read' },
  mcp_list_servers: { risk: 'read' },
  // The owner's own data, reversible, seen by nobody else.
  set_person_notes: { risk: 'own-data' },
  set_person_timezone: { risk: 'own-data' },
  set_reminder: { risk: 'own-data' },
  schedule_recurring: { risk: 'own-data' },
  cancel_reminder: { risk: 'own-data' },
  memory_save: { risk: 'own-data' },
  mcp_disable_server: { risk: 'own-data' },
  // Outward (other people are written to, or an external program gets power) or irreversible.
  start_conversation: { risk: 'outward', kind: 'contact' },
  answer_conversation: { risk: 'outward', kind: 'answer' },
  cancel_conversation: { risk: 'outward', kind: 'cancel' },
  memory_forget: { risk: 'outward', kind: 'forget' },
  mcp_add_server: { risk: 'outward', kind: 'add-server' },
  mcp_enable_server: { risk: 'outward', kind: 'add-server' },
  mcp_remove_server: { risk: 'outward', kind: 'remove-server' },
  set_contact_blocked: { risk: 'outward', kind: 'block' },
  create_task: { risk: 'outward', kind: 'task' },
  update_task: { risk: 'outward', kind: 'task' },
  cancel_task: { risk: 'outward', kind: 'task' },
};

/**
 * The risk of a tool by name. MCP tools are outward unless their server marks them
 * read-only (`annotations.readOnlyHint`); a tool nobody classified is outward.
 */
export function riskOf(toolName: string, mcp?: { readOnly: boolean }): ToolRisk {
  if (mcp) return mcp.readOnly ? { risk: 'read' } : { risk: 'outward', kind: 'mcp' };
  return OWNER_TOOLS[toolName] ?? { risk: 'outward' };
}

/** Facts about one call that only the activity can find out (names from the database). */
export interface CallFacts {
  /** Whether the owner's words name what the call acts on (a contact, a server); 'no-target' when it acts on no one. */
  targetNamed: boolean | 'no-target';
  /** Whether the owner's words name any known person or server: if not, "it"/"that" refers to what was asked. */
  ownerNamesAnyone: boolean;
  /**
   * For "accept it" / "cancel it": whether the call acts on the person whose words came in
   * last (the notice the owner is answering); true for calls on no person (a server), and
   * when no contact's words are in the context.
   */
  targetIsLatestSpeaker: boolean;
}

export type Verdict =
  { verdict: 'run'; why: string } | { verdict: 'confirm'; why: string } | { verdict: 'refuse'; why: string };

export function decideToolCall(tool: ToolRisk, trust: TurnTrust, facts: CallFacts): Verdict {
  if (tool.risk !== 'outward') return { verdict: 'run', why: `${tool.risk} tool` };
  if (trust.confirmedActionId) return { verdict: 'run', why: 'the owner confirmed this action' };
  if (trust.startedBy !== 'owner') {
    return {
      verdict: 'refuse',
      why: `this turn was started by ${trust.startedBy === 'scheduled-job' ? 'a scheduled job' : 'a conversation step'}, not by the owner: it may read and report, not act outward`,
    };
  }
  if (trust.untrusted.length === 0) return { verdict: 'run', why: "only the owner's words are in the context" };
  if (ownerAsked(tool, trust.ownerWords, facts)) {
    return { verdict: 'run', why: "the owner's own words ask for this action" };
  }
  return {
    verdict: 'confirm',
    why: "others' words are in the context and the owner's own words do not ask for this action",
  };
}

const NEEDS_A_NAME = new Set<ActionKind>(['mcp', 'contact', 'block']);

function ownerAsked(tool: ToolRisk, ownerWords: string, facts: CallFacts): boolean {
  if (!tool.kind || ownerWords.trim() === '' || !ownerAskedFor(tool.kind, ownerWords)) return false;
  if (facts.targetNamed === true || facts.targetNamed === 'no-target') return true;
  // Some actions need their target named: an MCP tool (its server), a new conversation, a block.
  if (NEEDS_A_NAME.has(tool.kind)) return false;
  // "Cancel it": the owner names nobody, so "it" is what the latest notice was about, and
  // only that; an instruction to act on someone else does not ride on the owner's "it".
  return !facts.ownerNamesAnyone && facts.targetIsLatestSpeaker;
}
