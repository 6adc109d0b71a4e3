// Delivers to a person's session workflow, starting it if needed (signal-with-start).
// Used by the gateway for incoming messages and by activities for notices to the owner.
import type { Client } from '@temporalio/client';
import type { Config } from './config.ts';
import { sessionWorkflowId } from './domain.ts';
import { roleOf } from './people.ts';
import { messageReceivedSignal, ownerNoticeSignal } from '../workflows/session-api.ts';
import type { MessageReceivedInput, OwnerNoticeInput, SessionInput } from '../workflows/session-api.ts';
import type { sessionWorkflow } from '../workflows/session.ts';

export interface SessionPerson {
  telegramId: number;
  displayName: string;
}

export type SessionRouterConfig = Pick<
  Config,
  | 'ownerTelegramId'
  | 'taskQueue'
  | 'telegramTaskQueue'
  | 'maxMessageChars'
  | 'sessionTurnsPerRun'
  | 'sessionHistoryMessages'
>;

export class SessionRouter {
  constructor(
    private readonly client: Client,
    private readonly config: SessionRouterConfig,
  ) {}

  sessionInput(person: SessionPerson): SessionInput {
    return {
      telegramId: person.telegramId,
      role: roleOf(person.telegramId, this.config.ownerTelegramId),
      displayName: person.displayName,
      settings: {
        telegramTaskQueue: this.config.telegramTaskQueue,
        maxMessageChars: this.config.maxMessageChars,
        turnsPerRun: this.config.sessionTurnsPerRun,
        historyMessages: this.config.sessionHistoryMessages,
      },
    };
  }

  async deliverMessage(person: SessionPerson, message: MessageReceivedInput): Promise<void> {
    await this.client.workflow.signalWithStart<typeof sessionWorkflow, [MessageReceivedInput]>('sessionWorkflow', {
      workflowId: sessionWorkflowId(person.telegramId),
      taskQueue: this.config.taskQueue,
      args: [this.sessionInput(person)],
      signal: messageReceivedSignal,
      signalArgs: [message],
    });
  }

  async deliverOwnerNotice(ownerName: string, notice: OwnerNoticeInput): Promise<void> {
    const owner = { telegramId: this.config.ownerTelegramId, displayName: ownerName };
    await this.client.workflow.signalWithStart<typeof sessionWorkflow, [OwnerNoticeInput]>('sessionWorkflow', {
      workflowId: sessionWorkflowId(owner.telegramId),
      taskQueue: this.config.taskQueue,
      args: [this.sessionInput(owner)],
      signal: ownerNoticeSignal,
      signalArgs: [notice],
    });
  }
}
