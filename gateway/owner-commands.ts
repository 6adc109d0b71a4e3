// The owner's slash commands, answered by the gateway itself (they are about the
// assistant, not a conversation with it): /help, /status, /reset.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { resetUpdate, sessionWorkflowId } from '../contracts/session.ts';
import { heartbeatStatusQuery, heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import type { ChatTransport } from './transport.ts';

export const OWNER_HELP = `Commands (only you can use them):
/help — this list
/status — what is running: conversations, negotiations, reminders, the heartbeat
/reset — start a fresh conversation context with me (add a contact's id to reset theirs)`;

/** Workflow types that count as "running work" in /status, with their labels. */
const RUNNING_KINDS: Array<[label: string, workflowType: string]> = [
  ['conversations (sessions)', 'sessionWorkflow'],
  ['negotiations', 'negotiationWorkflow'],
  ['reminders', 'reminderWorkflow'],
];

export class OwnerCommands {
  constructor(
    private readonly client: Client,
    private readonly replies: ChatTransport,
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
        await reply(await this.reset(args[0] ? Number(args[0]) : ownerId, ownerId));
        return true;
      default:
        return false;
    }
  }

  private async status(ownerId: number): Promise<string> {
    const lines = await Promise.all(
      RUNNING_KINDS.map(async ([label, type]) => {
        const { count } = await this.client.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`);
        return `• ${label}: ${count}`;
      }),
    );
    let recurring = 0;
    for await (const schedule of this.client.schedule.list())
      if (schedule.scheduleId.startsWith('recurring-')) recurring++;
    lines.push(`• recurring reminders: ${recurring}`);
    lines.push(`• heartbeat: ${await this.heartbeat(ownerId)}`);
    return `Running now:\n${lines.join('\n')}`;
  }

  private async heartbeat(ownerId: number): Promise<string> {
    try {
      const s = await this.client.workflow.getHandle(heartbeatWorkflowId(ownerId)).query(heartbeatStatusQuery);
      return `${s.beats} checks so far, you were told ${s.notifications} times; last: ${s.lastOutcome ?? 'none yet'}`;
    } catch {
      return 'not running';
    }
  }

  private async reset(telegramId: number, ownerId: number): Promise<string> {
    if (!Number.isSafeInteger(telegramId) || telegramId <= 0)
      return 'Usage: /reset, or /reset <Telegram id of a contact>';
    try {
      // An update: the session itself says whether there was anything to forget.
      await this.client.workflow.getHandle(sessionWorkflowId(telegramId)).executeUpdate(resetUpdate);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'There is no conversation to reset.';
      if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? 'There is nothing to reset.';
      throw err;
    }
    return telegramId === ownerId
      ? 'Done: our conversation starts fresh (your messages and data are kept).'
      : `Done: the conversation with ${telegramId} starts fresh.`;
  }
}
