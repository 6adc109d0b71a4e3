// Delivers to a person's session workflow, starting it if needed (signal-with-start).
// Used by the gateway for incoming messages and by activities for notices to the owner.
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Config } from '../infra/config.ts';
import { sessionWorkflowId } from '../contracts/session.ts';
import { roleOf } from '../pure/people.ts';
import { negotiationStatusQuery, negotiationWorkflowId } from '../contracts/negotiation.ts';
import type { NegotiationInput, NegotiationStatus, NegotiationWorkflow } from '../contracts/negotiation.ts';
import { conversationInstructionSignal, messageReceivedSignal, ownerNoticeSignal } from '../contracts/session.ts';
import type {
  ConversationInstructionInput,
  MessageReceivedInput,
  OwnerNoticeInput,
  SessionInput,
  SessionWorkflow,
} from '../contracts/session.ts';
import { formatSpanInZones } from '../pure/time-zones.ts';

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
    /** False on a server without custom search attributes (the time-skipping test server). */
    private readonly searchAttributes = true,
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

  /** Signals a person's session, starting it first if it is not running. */
  private async signalSession<T>(person: SessionPerson, signal: SignalDefinition<[T]>, payload: T): Promise<void> {
    await this.client.workflow.signalWithStart<SessionWorkflow, [T]>('sessionWorkflow', {
      workflowId: sessionWorkflowId(person.telegramId),
      taskQueue: this.config.taskQueue,
      args: [this.sessionInput(person)],
      signal,
      signalArgs: [payload],
    });
  }

  deliverMessage(person: SessionPerson, message: MessageReceivedInput): Promise<void> {
    return this.signalSession(person, messageReceivedSignal, message);
  }

  deliverInstruction(person: SessionPerson, instruction: ConversationInstructionInput): Promise<void> {
    return this.signalSession(person, conversationInstructionSignal, instruction);
  }

  /** Starts the negotiation workflow of a ConversationTask, with a summary an operator can read in the UI. */
  async startNegotiation(input: NegotiationInput): Promise<void> {
    const windows = input.meeting?.windows
      .map((w) => formatSpanInZones(w.startUtc, w.endUtc, [input.ownerTimeZone]))
      .join('; ');
    await this.client.workflow.start<NegotiationWorkflow>('negotiationWorkflow', {
      workflowId: negotiationWorkflowId(input.taskId),
      taskQueue: this.config.taskQueue,
      args: [{ ...input, searchAttributes: this.searchAttributes }],
      staticSummary: `${input.type} with ${input.contactName} for ${input.ownerName}`,
      staticDetails: [`**Brief:** ${input.brief}`, windows ? `**Owner's windows:** ${windows}` : '']
        .filter(Boolean)
        .join('\n\n'),
    });
  }

  async signalNegotiation<A extends unknown[]>(taskId: string, signal: SignalDefinition<A>, ...args: A): Promise<void> {
    await this.client.workflow.getHandle(negotiationWorkflowId(taskId)).signal(signal, ...args);
  }

  /** The live status of a running negotiation, or undefined once it has finished. */
  async negotiationStatus(taskId: string): Promise<NegotiationStatus | undefined> {
    const handle = this.client.workflow.getHandle(negotiationWorkflowId(taskId));
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    return handle.query(negotiationStatusQuery);
  }

  deliverOwnerNotice(ownerName: string, notice: OwnerNoticeInput): Promise<void> {
    return this.deliverNotice({ telegramId: this.config.ownerTelegramId, displayName: ownerName }, notice);
  }

  /** A message for anyone's chat that needs no thinking (a new task for a contact, a reminder). */
  deliverNotice(person: SessionPerson, notice: OwnerNoticeInput): Promise<void> {
    return this.signalSession(person, ownerNoticeSignal, notice);
  }
}
