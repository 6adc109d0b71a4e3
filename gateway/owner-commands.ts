// The owner's slash commands, answered by the gateway itself (they are about the
// assistant, not a conversation with it): /help, /status, /reset. People are named the
// way the owner knows them (name and @username), never by a bare Telegram id.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Db } from '../infra/db.ts';
import { resetUpdate, sessionWorkflowId } from '../contracts/session.ts';
import { displayNameOf } from '../pure/people.ts';
import { heartbeatStatusQuery, heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import type { ChatTransport } from './transport.ts';

export const OWNER_HELP = `Commands (only you can use them):
/help — this list
/status — what is running: conversations, negotiations, reminders, the heartbeat
/reset — start a fresh conversation context with me (/reset <name or @username> resets a contact's)`;

/** Workflow types that count as "running work" in /status, with their labels. */
const RUNNING_KINDS: Array<[label: string, workflowType: string]> = [
  ['conversations (sessions)', 'sessionWorkflow'],
  ['negotiations', 'negotiationWorkflow'],
  ['reminders', 'reminderWorkflow'],
];

/** How many names /status lists after a count. */
const NAMES_SHOWN = 5;

export class OwnerCommands {
  constructor(
    private readonly client: Client,
    private readonly replies: ChatTransport,
    private readonly db: Db,
  ) {}

  /** Handles `text` if it is a known command; returns false for anything else. */
  async handle(ownerId: number, messageId: number, text: string): Promise<boolean> {
    const [command, ...args] = text.trim().split(/\s+/);
    const reply = (answer: string) =>
      this.replies.send({ chatId: ownerId, text: answer, idempotencyKey: `command/${ownerId}/${messageId}` });
    switch (command?.toLowerCase()) {
      case '/help':
      case '/start':
        await reply(OWNER_HELP);
        return true;
      case '/status':
        await reply(await this.status(ownerId));
        return true;
      case '/reset':
        await reply(await this.reset(args.join(' '), ownerId));
        return true;
      default:
        return false;
    }
  }

  private async status(ownerId: number): Promise<string> {
    const lines = await Promise.all(
      RUNNING_KINDS.map(async ([label, type]) => {
        const { count } = await this.client.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`);
        const who = count > 0 ? await this.whoIn(type, ownerId) : [];
        return `• ${label}: ${count}${who.length ? ` — ${who.join(', ')}${count > who.length ? ', …' : ''}` : ''}`;
      }),
    );
    let recurring = 0;
    for await (const schedule of this.client.schedule.list())
      if (schedule.scheduleId.startsWith('recurring-')) recurring++;
    lines.push(`• recurring reminders: ${recurring}`);
    lines.push(`• heartbeat: ${await this.heartbeat(ownerId)}`);
    return `Running now:\n${lines.join('\n')}`;
  }

  /** The people a kind of running work is with, by name: sessions and negotiations. */
  private async whoIn(workflowType: string, ownerId: number): Promise<string[]> {
    if (workflowType === 'sessionWorkflow') {
      const ids: bigint[] = [];
      for await (const wf of this.client.workflow.list({
        query: `WorkflowType = 'sessionWorkflow' AND ExecutionStatus = 'Running'`,
        pageSize: NAMES_SHOWN,
      })) {
        const id = /^session-(\d+)$/.exec(wf.workflowId)?.[1];
        if (id) ids.push(BigInt(id));
        if (ids.length >= NAMES_SHOWN) break;
      }
      return this.namesOf(ids, ownerId);
    }
    if (workflowType === 'negotiationWorkflow') {
      const negotiations = await this.db.negotiation.findMany({
        where: { ownerId: BigInt(ownerId), status: { in: ['pending', 'in_progress', 'awaiting_owner'] } },
        orderBy: { createdAt: 'desc' },
        take: NAMES_SHOWN,
        select: { contactId: true },
      });
      return this.namesOf(
        negotiations.map((n) => n.contactId),
        ownerId,
      );
    }
    return [];
  }

  private async namesOf(ids: bigint[], ownerId: number): Promise<string[]> {
    const people = await this.db.user.findMany({ where: { telegramId: { in: ids } } });
    const byId = new Map(people.map((p) => [p.telegramId, p]));
    return ids.map((id) => {
      if (Number(id) === ownerId) return 'you';
      const person = byId.get(id);
      return person ? displayNameOf(person, 'someone unnamed') : 'someone who has not written yet';
    });
  }

  private async heartbeat(ownerId: number): Promise<string> {
    try {
      const s = await this.client.workflow.getHandle(heartbeatWorkflowId(ownerId)).query(heartbeatStatusQuery);
      return `${s.beats} checks so far, you were told ${s.notifications} times; last: ${s.lastOutcome ?? 'none yet'}`;
    } catch {
      return 'not running';
    }
  }

  /** Contacts `who` names exactly: a Telegram id, an @username, a first name or a full name (any case). */
  private async peopleCalled(who: string, ownerId: number) {
    const notOwner = { NOT: { telegramId: BigInt(ownerId) } };
    if (/^\d{1,16}$/.test(who)) return this.db.user.findMany({ where: { telegramId: BigInt(who), ...notOwner } });
    const name = who.replace(/^@/, '');
    const [first, ...rest] = name.split(/\s+/);
    const exactly = (value: string) => ({ equals: value, mode: 'insensitive' as const });
    return this.db.user.findMany({
      where: {
        ...notOwner,
        OR: who.startsWith('@')
          ? [{ username: exactly(name) }]
          : rest.length
            ? [{ firstName: exactly(first!), lastName: exactly(rest.join(' ')) }]
            : [{ firstName: exactly(name) }, { username: exactly(name) }],
      },
      take: 10,
    });
  }

  /** `/reset` alone is the owner's own conversation; `/reset <who>` a contact's. */
  private async reset(who: string, ownerId: number): Promise<string> {
    let telegramId = ownerId;
    let name = 'you';
    if (who) {
      const matches = await this.peopleCalled(who, ownerId);
      if (matches.length === 0) return `Nobody I know matches "${who}": give their name or @username.`;
      if (matches.length > 1) {
        const names = matches.map((p) => displayNameOf(p, 'someone unnamed')).join(', ');
        return `Several people match "${who}": ${names}. Which one? (/reset @username)`;
      }
      telegramId = Number(matches[0]!.telegramId);
      name = displayNameOf(matches[0]!, 'this contact');
    }
    try {
      // An update: the session itself says whether there was anything to forget.
      await this.client.workflow.getHandle(sessionWorkflowId(telegramId)).executeUpdate(resetUpdate);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        return telegramId === ownerId ? 'There is no conversation to reset.' : `There is no conversation with ${name}.`;
      if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? 'There is nothing to reset.';
      throw err;
    }
    return telegramId === ownerId
      ? 'Done: our conversation starts fresh (your messages and data are kept).'
      : `Done: the conversation with ${name} starts fresh.`;
  }
}
