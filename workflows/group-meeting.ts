// A meeting with several people (`negotiation-<taskId>`, the same updates and query as a
// negotiation with one): the rules are in group-meeting-rules.ts; this runner feeds them the
// events one at a time (re-checking the owner's calendar before the last confirmation),
// runs the reminder timers, and carries out the effects: instructions to each guest's
// session, notices to the owner, the booking and the invitations. Where every guest stands
// is in the query and in the Temporal UI's current details.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { MeetingDetails } from '../contracts/calendar.ts';
import { describeGuests } from '../contracts/group-meeting.ts';
import type { GroupMeetingWorkflow, GroupMeetingInput } from '../contracts/group-meeting.ts';
import { negotiationStatusQuery, SearchAttributes } from '../contracts/negotiation.ts';
import type { NegotiationView, Slot } from '../contracts/negotiation.ts';
import type { TelegramActivities } from '../contracts/telegram.ts';
import { formatSpanInZones } from '../pure/time-zones.ts';
import {
  decideGroup,
  groupRejection,
  groupSlotToCheck,
  initialGroupState,
  nextGroupWakeAt,
  viewOfGroup,
} from './group-meeting-rules.ts';
import type { GroupDecision, GroupEffect, GroupState } from './group-meeting-rules.ts';
import { calendarActivities, negotiationActivities } from './negotiation-activities.ts';
import { invitationSender, setNegotiationUpdateHandlers } from './negotiation-updates.ts';
import type { NegotiationEvent } from './negotiation-rules.ts';

const { recordNegotiation, instructContact, tellOwner } = negotiationActivities;

export const groupMeetingWorkflow: GroupMeetingWorkflow = async function groupMeetingWorkflow(input) {
  return new GroupMeetingRunner(input).run();
};

interface Queued {
  event: NegotiationEvent;
  settle(decision: GroupDecision): void;
}

class GroupMeetingRunner {
  private state: GroupState;
  private readonly queue: Queued[] = [];
  private messages = 0;
  private readonly telegram?: Pick<TelegramActivities, 'sendFile'>;

  constructor(private readonly input: GroupMeetingInput) {
    this.state = initialGroupState(input, Date.now());
    const calendar = input.meeting.calendar;
    if (calendar) {
      this.telegram = invitationSender(calendar.telegramTaskQueue);
    }
    setHandler(negotiationStatusQuery, () => viewOfGroup(this.state));
    setNegotiationUpdateHandlers({ validate: (e) => this.validate(e), handle: (e) => this.handle(e) });
  }

  private validate(event: NegotiationEvent): void {
    const reason = groupRejection(this.state, event);
    if (reason) throw new Error(reason);
  }

  private async handle(event: NegotiationEvent): Promise<string> {
    const decision = await new Promise<GroupDecision>((settle) => this.queue.push({ event, settle }));
    if (decision.rejected) {
      throw ApplicationFailure.create({ type: 'NegotiationRejected', message: decision.rejected, nonRetryable: true });
    }
    return decision.verdict;
  }

  async run(): Promise<NegotiationView> {
    const { searchAttributes, ownerId, guests } = this.input;
    if (searchAttributes !== false) {
      upsertSearchAttributes([
        { key: SearchAttributes.owner, value: String(ownerId) },
        { key: SearchAttributes.contact, value: guests.map((g) => g.telegramId).join(',') },
        { key: SearchAttributes.type, value: 'meeting' },
      ]);
    }
    await this.apply({ kind: 'open' });
    for (
      let wakeAt = nextGroupWakeAt(this.state, Date.now());
      wakeAt !== undefined;
      wakeAt = nextGroupWakeAt(this.state, Date.now())
    ) {
      const arrived = await condition(() => this.queue.length > 0, Math.max(wakeAt - Date.now(), 1));
      if (!arrived) {
        await this.apply({ kind: 'timer' });
        continue;
      }
      const { event, settle } = this.queue.shift()!;
      settle(await this.apply(await this.withCalendarCheck(event)));
    }
    for (const { event, settle } of this.queue.splice(0)) settle(decideGroup(this.state, event, Date.now()));
    await condition(allHandlersFinished);
    return viewOfGroup(this.state);
  }

  /** The last guest's confirmation: the owner's calendar is asked again before the meeting is agreed. */
  private async withCalendarCheck(event: NegotiationEvent): Promise<NegotiationEvent> {
    const slot = groupSlotToCheck(this.state, event);
    if (!slot || event.kind !== 'contact') return event;
    const slotState = await calendarActivities
      .checkMeetingSlot({ taskId: this.input.taskId, slot, ownerTimeZone: this.input.ownerTimeZone })
      .catch(() => 'unknown' as const);
    return { ...event, slotState };
  }

  private async apply(event: NegotiationEvent): Promise<GroupDecision> {
    const before = this.state;
    const decision = decideGroup(before, event, Date.now());
    this.state = decision.state;
    if (decision.rejected) return decision;
    await this.project(before);
    for (const effect of decision.effects) await this.carryOut(effect);
    return decision;
  }

  private async project(before: GroupState): Promise<void> {
    const { status, lastEvent, result } = this.state;
    const slot = this.state.terms.meeting.options[this.state.candidate];
    const proposed = slot
      ? `\n\nProposed: ${formatSpanInZones(slot.startUtc, slot.endUtc, [this.input.ownerTimeZone])}`
      : '';
    setCurrentDetails(`**${status}** — ${lastEvent}\n\n${describeGuests(viewOfGroup(this.state).guests!)}${proposed}`);
    if (status === before.status && result === before.result) return;
    if (this.input.searchAttributes !== false)
      upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
    await recordNegotiation({ taskId: this.input.taskId, status, result });
  }

  private async carryOut(effect: GroupEffect): Promise<void> {
    const { taskId, ownerName, guests } = this.input;
    const workflowId = workflowInfo().workflowId;
    switch (effect.kind) {
      case 'tell-guest': {
        const guest = guests.find((g) => g.telegramId === effect.guestId)!;
        await instructContact({
          taskId,
          contactId: guest.telegramId,
          contactName: guest.name,
          instructionId: `${workflowId}/to-guest-${++this.messages}`,
          text: effect.text,
        });
        return;
      }
      case 'tell-owner':
        await tellOwner({
          ownerName,
          notice: {
            noticeId: `${workflowId}/to-owner-${++this.messages}`,
            fromTelegramId: guests[0]!.telegramId,
            fromName: `Meeting ${taskId} with ${guests.map((g) => g.name).join(', ')}`,
            text: effect.text,
          },
        });
        return;
      default:
        await this.carryOutBooking(effect.kind, effect.slot);
    }
  }

  /** Books or cancels the meeting, then sends every guest still invited the matching .ics once. */
  private async carryOutBooking(kind: 'book' | 'unbook', slot: Slot): Promise<void> {
    if (!this.telegram) return;
    const meeting = this.meetingDetails(slot, kind === 'book' ? 0 : 1);
    try {
      await (kind === 'book' ? calendarActivities.bookMeeting(meeting) : calendarActivities.cancelMeeting(meeting));
    } catch {
      await this.carryOut({
        kind: 'tell-owner',
        text: `⚠️ I could not ${kind === 'book' ? 'write the meeting into' : 'remove the meeting from'} your calendar (${formatSpanInZones(slot.startUtc, slot.endUtc, [this.input.ownerTimeZone])}): please do it yourself. The guests got the ${kind === 'book' ? 'invitation' : 'cancellation'}.`,
      });
    }
    const method = kind === 'book' ? 'REQUEST' : 'CANCEL';
    for (const guest of meeting.guests!) {
      const invitation = await calendarActivities.meetingInvitation({
        meeting,
        method,
        recipientTimeZone: guest.timeZone,
      });
      await this.telegram.sendFile({
        chatId: guest.telegramId,
        ...invitation,
        idempotencyKey: `${workflowInfo().workflowId}/invitation-${method}-${guest.telegramId}`,
      });
    }
  }

  private meetingDetails(slot: Slot, sequence: number): MeetingDetails {
    const { taskId, ownerName, ownerTimeZone, brief, meeting } = this.input;
    const guests = this.state.guests
      .filter((g) => g.status !== 'excused')
      .map(({ telegramId, name, timeZone }) => ({ telegramId, name, timeZone }));
    const first = guests[0]!;
    return {
      taskId,
      ownerName,
      ownerTimeZone,
      contactId: first.telegramId,
      contactName: first.name,
      contactTimeZone: first.timeZone,
      brief,
      slot,
      place: meeting.place,
      sequence,
      guests,
    };
  }
}
