// The activity's half of the privilege policy (pure/privilege-policy.ts): what only the
// database and the MCP servers can say about a call — who it acts on, whether the owner's
// words name them, whether an MCP tool is marked read-only — and the call in plain words
// for the owner's confirmation.
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { displayNameOf } from '../../pure/people.ts';
import type { TurnTrust } from '../../contracts/provenance.ts';
import { decideToolCall, riskOf } from '../../pure/privilege-policy.ts';
import type { Verdict } from '../../pure/privilege-policy.ts';
import { sanitizeUntrusted } from '../../pure/provenance.ts';
import type { McpConnections } from '../mcp/connections.ts';
import { describeServerTools, enabledServers, isMcpToolName } from '../mcp/mcp-tools.ts';
import { mentionsName } from './name-matching.ts';
import { findPeople } from './people.ts';

const MCP_NAME = /^mcp__([a-z][a-z0-9-]{0,19})__(.+)$/;

/** A turn nothing is known about (a caller from before the policy): the strictest reading. */
export const UNKNOWN_TURN: TurnTrust = {
  startedBy: 'owner',
  ownerWords: '',
  untrusted: [{ kind: 'tool', name: 'unknown' }],
};

export interface Assessment {
  verdict: Verdict;
  /** The person the call acts on, if any. */
  about?: number;
  /** The action in plain words with its arguments (for the owner's confirmation). */
  summary: string;
}

interface Target {
  /** Names that identify what the call acts on; empty when it acts on no one in particular. */
  names: string[];
  /** How the owner is told what it acts on. */
  label?: string;
  /** The person it acts on, when it acts on a person. */
  personId?: number;
  /** More people it acts on (guests of a group meeting): each must be named by the owner too. */
  more?: Target[];
}

export async function assessOwnerCall(
  db: Db,
  mcp: McpConnections,
  ownerTelegramId: number,
  name: string,
  input: Record<string, unknown>,
  trust: TurnTrust,
): Promise<Assessment> {
  const mcpTool = isMcpToolName(name) ? await mcpToolInfo(db, mcp, name) : undefined;
  const risk = riskOf(
    name,
    mcpTool ? { readOnly: mcpTool.readOnly } : isMcpToolName(name) ? { readOnly: false } : undefined,
  );
  if (risk.risk !== 'outward') return { verdict: { verdict: 'run', why: `${risk.risk} tool` }, summary: name };
  const target = await targetOf(db, ownerTelegramId, name, input, mcpTool?.server);
  const known = await knownNames(db, ownerTelegramId);
  const words = trust.ownerWords;
  // Whom "it" can mean: the person whose words came in last, or whom the owner's last action was about.
  const latest = trust.untrusted
    .map((o) => (o.kind === 'contact' ? o.telegramId : o.kind === 'tool' ? o.about : undefined))
    .filter((id): id is number => id !== undefined)
    .at(-1);
  const verdict = decideToolCall(risk, trust, {
    targetNamed:
      target.names.length === 0
        ? 'no-target'
        : [target, ...(target.more ?? [])].every((t) => t.names.some((n) => mentions(words, n))),
    ownerNamesAnyone: known.some((n) => mentions(words, n)),
    // With no contact's words in the context, "it" is the owner's own earlier subject.
    targetIsLatestSpeaker: target.personId === undefined || latest === undefined || latest === target.personId,
  });
  return { verdict, summary: describeAction(name, input, target.label), about: target.personId };
}

function mentions(text: string, name: string): boolean {
  return text.trim() !== '' && mentionsName(text, name.replace(/^@/, ''));
}

async function mcpToolInfo(db: Db, mcp: McpConnections, name: string) {
  const match = MCP_NAME.exec(name);
  const server = match ? (await enabledServers(db)).find((s) => s.name === match[1]) : undefined;
  if (!match || !server) return undefined;
  // The tools as offered (the same name assignment as dispatch); a server not ready now
  // has no word on its tools, so they count as outward.
  const health = mcp.health(server);
  const tool =
    health.state === 'ready' ? describeServerTools(server, health.tools).tools.find((t) => t.name === name) : undefined;
  if (!tool) log.warn('MCP tool not listed by a ready server; it counts as outward', { server: server.name, name });
  // Only the server's own word makes a tool read-only; no annotation means it may act.
  return { server: server.name, tool: tool?.tool ?? match[2]!, readOnly: tool?.annotations.readOnlyHint === true };
}

async function personNames(db: Db, query: string, ownerTelegramId: number): Promise<Target> {
  const people = await findPeople(db, query, ownerTelegramId).catch(() => []);
  const person = people.length === 1 ? people[0]! : undefined;
  const names = [query, ...(person ? [person.firstName, person.lastName, person.username] : [])].filter(
    (n): n is string => typeof n === 'string' && n.trim() !== '',
  );
  return {
    names,
    label: person ? displayNameOf(person, query) : query,
    personId: person ? Number(person.telegramId) : undefined,
  };
}

async function targetOf(
  db: Db,
  ownerTelegramId: number,
  name: string,
  input: Record<string, unknown>,
  mcpServer: string | undefined,
): Promise<Target> {
  const text = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : '');
  switch (name) {
    case 'start_conversation': {
      const guests = Array.isArray(input.more_users) ? input.more_users.filter((u) => typeof u === 'string') : [];
      const [first, ...more] = await Promise.all(
        [text('user'), ...guests].map((user) => personNames(db, user, ownerTelegramId)),
      );
      return more.length === 0 ? first! : { ...first!, more, label: [first!, ...more].map((t) => t.label).join(', ') };
    }
    case 'set_contact_blocked':
    case 'create_task':
      return personNames(db, text('person'), ownerTelegramId);
    case 'answer_conversation':
    case 'cancel_conversation':
    case 'reschedule_meeting': {
      const negotiation = await db.negotiation
        .findUnique({ where: { id: text('id') }, include: { contact: true } })
        .catch(() => null);
      if (!negotiation) return { names: [text('id')] };
      const c = negotiation.contact;
      return {
        names: [c.firstName, c.lastName, c.username].filter((n): n is string => !!n),
        label: displayNameOf(c, `id ${c.telegramId}`),
        personId: Number(c.telegramId),
      };
    }
    case 'update_task':
    case 'cancel_task': {
      const task = await db.task
        .findUnique({ where: { id: text('task_id') }, include: { assignee: true } })
        .catch(() => null);
      if (!task) return { names: [text('task_id')] };
      const a = task.assignee;
      // The owner may name the task by its title ("cancel the rooms" for "Book rooms").
      const titleWords = task.title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
      return {
        names: [a.firstName, a.lastName, a.username, ...titleWords].filter((n): n is string => !!n),
        label: displayNameOf(a, `id ${a.telegramId}`),
        personId: Number(a.telegramId),
      };
    }
    case 'mcp_add_server': {
      const host = /^https?:\/\/([^/:]+)/.exec(text('url'))?.[1];
      return { names: [text('name'), ...(host ? [host.split('.')[0]!] : [])].filter(Boolean) };
    }
    case 'mcp_enable_server':
    case 'mcp_remove_server':
      return { names: [text('name')].filter(Boolean) };
    default: {
      const match = MCP_NAME.exec(name);
      if (match) {
        // Naming the server is not asking for each of its tools: the tool itself must be named
        // ("send an email"), so reading a server's output cannot make its other tools "asked for".
        const toolWords = match[2]!.split(/[_-]+/).filter((w) => w.length >= 4);
        return { names: toolWords.length > 0 ? toolWords : [match[2]!], label: mcpServer };
      }
      // An MCP tool whose name we cannot read is named only by its whole name: never "no target".
      if (isMcpToolName(name)) return { names: [name] };
      return { names: [] };
    }
  }
}

/** Everyone the owner might name, and the MCP servers: naming one of them is not "it". */
async function knownNames(db: Db, ownerTelegramId: number): Promise<string[]> {
  const [people, servers] = await Promise.all([
    db.user.findMany({ where: { telegramId: { not: BigInt(ownerTelegramId) } }, take: 2000 }),
    db.mcpServer.findMany({ select: { name: true } }),
  ]);
  return [
    ...people.flatMap((p) => [p.firstName, p.lastName, p.username]).filter((n): n is string => !!n),
    ...servers.map((s) => s.name),
  ];
}

const SECRET_KEYS = new Set(['env', 'headers']);

/** The call in plain words, with its arguments; credentials never shown. */
export function describeAction(name: string, input: Record<string, unknown>, target?: string): string {
  const s = (key: string) => (typeof input[key] === 'string' ? sanitizeUntrusted(input[key] as string) : '');
  const who = target ? sanitizeUntrusted(target) : '';
  switch (name) {
    case 'start_conversation':
      return `Start a ${s('type') || 'conversation'} with ${who || s('user')}, telling them: "${s('brief')}"`;
    case 'answer_conversation':
      return `Answer ${who || 'the contact'} in conversation ${s('id')}: ${s('decision')}${s('message') ? `, with the message "${s('message')}"` : ''}`;
    case 'cancel_conversation':
      return `Cancel conversation ${s('id')} with ${who || 'the contact'}${s('reason') ? ` (reason: "${s('reason')}")` : ''}`;
    case 'reschedule_meeting':
      return `Move the meeting of conversation ${s('id')} with ${who || 'the contact'} to ${s('start')}–${s('end')} (your time); they get the updated invitation`;
    case 'memory_forget':
      return `Forget memory ${s('id')} for good`;
    case 'mcp_add_server':
      return `Add the MCP server "${s('name')}" (${s('transport')}: ${s('url') || [s('command'), ...((input.args as string[]) ?? [])].join(' ')}), giving its tools to the assistant`;
    case 'mcp_enable_server':
      return `Enable the MCP server "${s('name')}"`;
    case 'mcp_remove_server':
      return `Remove the MCP server "${s('name')}"`;
    case 'set_contact_blocked':
      return `${input.blocked === false ? 'Unblock' : 'Block'} ${who || s('person')}`;
    case 'create_task':
      return `Give ${who || s('person')} the task "${s('title')}"${s('due') ? ` due ${s('due')}` : ''} (they are told at once)`;
    case 'cancel_task':
      return `Cancel task ${s('task_id')} of ${who || 'the assignee'} (they are told)`;
    default: {
      const args = Object.entries(input)
        .map(([k, v]) => `${k}: ${SECRET_KEYS.has(k) ? '[hidden]' : sanitizeUntrusted(JSON.stringify(v))}`)
        .join(', ');
      return `Run ${name}${who ? ` on ${who}` : ''}${args ? ` with ${args}` : ''}`.slice(0, 1500);
    }
  }
}
