// Delivers to a person's session workflow, starting it if needed (signal-with-start):
// incoming messages (the gateway), notices and instructions (activities).
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Config } from '../infra/config.ts';
import { roleOf } from '../pure/people.ts';
import { instructionSignal, messageReceivedSignal, noticeSignal, sessionWorkflowId } from '../contracts/session.ts';
import type { Role } from '../contracts/domain.ts';
import type {
  InstructionInput,
  MessageReceivedInput,
  NoticeInput,
  SessionInput,
  SessionWorkflow,
} from '../contracts/session.ts';

export interface SessionPerson {
  telegramId: number;
  displayName: string;
}

export type SessionClientConfig = Pick<
  Config,
  | 'ownerTelegramId'
  | 'taskQueue'
  | 'telegramTaskQueue'
  | 'maxMessageChars'
  | 'sessionTurnsPerRun'
  | 'sessionHistoryMessages'
  | 'claudePricePerMtok'
>;

/** "Chat with Anna (@anna)"; the owner's own: "Owner's chat (Olga)". */
export function sessionSummary(person: SessionPerson, role: Role): string {
  return role === 'owner' ? `Owner's chat (${person.displayName})` : `Chat with ${person.displayName}`;
}

export class SessionClient {
  constructor(
    private readonly client: Client,
    private readonly config: SessionClientConfig,
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
        price: this.config.claudePricePerMtok,
      },
    };
  }

  /** Signals a person's session, starting it first if it is not running. */
  private async signalSession<T>(person: SessionPerson, signal: SignalDefinition<[T]>, payload: T): Promise<void> {
    await this.client.workflow.signalWithStart<SessionWorkflow, [T]>('sessionWorkflow', {
      workflowId: sessionWorkflowId(person.telegramId),
      taskQueue: this.config.taskQueue,
      args: [this.sessionInput(person)],
      signal,
      signalArgs: [payload],
      // What the Temporal UI lists it as (set when the session starts).
      staticSummary: sessionSummary(person, roleOf(person.telegramId, this.config.ownerTelegramId)),
    });
  }

  deliverMessage(person: SessionPerson, message: MessageReceivedInput): Promise<void> {
    return this.signalSession(person, messageReceivedSignal, message);
  }

  /** Something the person's assistant must act on (a negotiation's step, a scheduled job). */
  deliverInstruction(person: SessionPerson, instruction: InstructionInput): Promise<void> {
    return this.signalSession(person, instructionSignal, instruction);
  }

  /** A message for anyone's chat that needs no thinking (a new task for a contact, a reminder). */
  deliverNotice(person: SessionPerson, notice: NoticeInput): Promise<void> {
    return this.signalSession(person, noticeSignal, notice);
  }

  get ownerTelegramId(): number {
    return this.config.ownerTelegramId;
  }

  deliverOwnerNotice(ownerName: string, notice: NoticeInput): Promise<void> {
    return this.deliverNotice({ telegramId: this.config.ownerTelegramId, displayName: ownerName }, notice);
  }
}
