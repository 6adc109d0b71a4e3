// Starts negotiation workflows and brings them the owner's decisions, the contact's
// reports and cancellations as updates, returning each one's verdict: the negotiation
// itself says whether it accepted the event, and what happens next.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Config } from '../infra/config.ts';
import { formatSpanInZones } from '../pure/time-zones.ts';
import {
  cancelNegotiationUpdate,
  contactReportUpdate,
  negotiationStatusQuery,
  negotiationWorkflowId,
  ownerDecisionUpdate,
  rescheduleMeetingUpdate,
} from '../contracts/negotiation.ts';
import type { GroupMeetingInput, GroupMeetingWorkflow } from '../contracts/group-meeting.ts';
import type {
  ContactReport,
  NegotiationInput,
  NegotiationView,
  NegotiationWorkflow,
  OwnerDecision,
  Slot,
} from '../contracts/negotiation.ts';

/** The negotiation's answer to an event: accepted (with what happens now), rejected (why), or it is over. */
export type Verdict =
  { outcome: 'accepted'; text: string } | { outcome: 'rejected'; reason: string } | { outcome: 'finished' };

export class NegotiationClient {
  constructor(
    private readonly client: Client,
    private readonly config: Pick<Config, 'taskQueue'>,
    /** False on a server without custom search attributes (the time-skipping test server). */
    private readonly searchAttributes = true,
  ) {}

  /** Starts the negotiation, with a summary an operator can read in the UI. */
  async start(input: NegotiationInput): Promise<void> {
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

  /** Starts a meeting with several people (the same workflow id scheme, updates and query). */
  async startGroup(input: GroupMeetingInput): Promise<void> {
    const names = input.guests.map((g) => g.name).join(', ');
    await this.client.workflow.start<GroupMeetingWorkflow>('groupMeetingWorkflow', {
      workflowId: negotiationWorkflowId(input.taskId),
      taskQueue: this.config.taskQueue,
      args: [{ ...input, searchAttributes: this.searchAttributes }],
      staticSummary: `meeting with ${names} for ${input.ownerName}`,
      staticDetails: `**Brief:** ${input.brief}\n\n**Options:** ${input.meeting.options
        .map((w) => formatSpanInZones(w.startUtc, w.endUtc, [input.ownerTimeZone]))
        .join('; ')}`,
    });
  }

  /** The owner's decision. `requestId` (the tool call's id) makes a retried call count once. */
  decide(taskId: string, decision: OwnerDecision, requestId: string): Promise<Verdict> {
    return this.update(taskId, ownerDecisionUpdate, decision, requestId);
  }

  report(taskId: string, report: ContactReport, requestId: string): Promise<Verdict> {
    return this.update(taskId, contactReportUpdate, report, requestId);
  }

  cancel(taskId: string, reason: string | undefined, requestId: string): Promise<Verdict> {
    return this.update(taskId, cancelNegotiationUpdate, { reason }, requestId);
  }

  /** Moves a booked meeting (the negotiation updates the event and sends the new invitation). */
  reschedule(taskId: string, slot: Slot, requestId: string): Promise<Verdict> {
    return this.update(taskId, rescheduleMeetingUpdate, { slot }, requestId);
  }

  /** The live state of a running negotiation, or undefined once it has finished. */
  async status(taskId: string): Promise<NegotiationView | undefined> {
    const handle = this.client.workflow.getHandle(negotiationWorkflowId(taskId));
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    return handle.query(negotiationStatusQuery);
  }

  private async update<A>(
    taskId: string,
    update: UpdateDefinition<string, [A]>,
    arg: A,
    requestId: string,
  ): Promise<Verdict> {
    const handle = this.client.workflow.getHandle(negotiationWorkflowId(taskId));
    try {
      // The same update id for a retried call: Temporal runs it once and returns the first verdict.
      const text = await handle.executeUpdate(update, { args: [arg], updateId: requestId });
      return { outcome: 'accepted', text };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError)
        return { outcome: 'rejected', reason: err.cause?.message ?? err.message };
      if (err instanceof WorkflowNotFoundError || isClosedWorkflow(err)) return { outcome: 'finished' };
      throw err;
    }
  }
}

/** The server's answer to an update on a workflow that has already closed. */
function isClosedWorkflow(err: unknown): boolean {
  return err instanceof Error && /workflow execution already completed/i.test(err.message);
}
