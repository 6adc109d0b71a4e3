// One negotiation (`negotiation-<taskId>`): the owner's errand with a contact, for days if
// need be. The rules live in negotiation-rules.ts; this runner keeps the state, feeds it
// the events (the owner's decisions, the contact's reports, a cancellation: updates that
// answer with the verdict; timers for reminders and the deadline), and carries out what the
// rules decide: messages to the two sessions, and the projections of its state (database
// row, search attributes, the UI's current details), written after every change.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { negotiationStatusQuery, SearchAttributes } from '../contracts/negotiation.ts';
import type { NegotiationInput, NegotiationView, NegotiationWorkflow, Slot } from '../contracts/negotiation.ts';
import type { SendFileInput, TelegramActivities } from '../contracts/telegram.ts';
import type { MeetingDetails } from '../contracts/calendar.ts';
import { calendarActivities, negotiationActivities } from './negotiation-activities.ts';
import { invitationSender, setNegotiationUpdateHandlers } from './negotiation-updates.ts';
import { legacyNegotiation } from './negotiation-legacy.ts';
import { decide, initialState, nextWakeAt, rejection, slotToCheck, viewOf } from './negotiation-rules.ts';
import { NegotiationWording } from './negotiation-wording.ts';
import { negotiationDetails } from './negotiation-details.ts';
import type { Decision, NegotiationEffect, NegotiationEvent, NegotiationState } from './negotiation-rules.ts';

const { recordNegotiation, instructContact, tellOwner } = negotiationActivities;

/** Negotiations started before the rules became decide(): they finish on the loop they started with. */
export const DECIDE_PATCH = 'negotiation-decide';
/** Negotiations with the owner's calendar: re-check before confirming, book, invite, cancel. */
export const CALENDAR_PATCH = 'negotiation-calendar';
/** The JobsNextActionAt search attribute, kept up to date (operators' "what is due" list). */
export const NEXT_ACTION_PATCH = 'negotiation-next-action-at';

export const negotiationWorkflow: NegotiationWorkflow = async function negotiationWorkflow(input) {
  if (!patched(DECIDE_PATCH)) return legacyNegotiation(input);
  return new NegotiationRunner(input).run();
};

interface Queued {
  event: NegotiationEvent;
  settle(decision: Decision): void;
}

class NegotiationRunner {
  private state: NegotiationState;
  private readonly queue: Queued[] = [];
  /** Messages sent so far: each one's id, so a retried delivery is recognised by the session. */
  private messages = 0;
  /** The JobsNextActionAt value last set, so it is upserted only when it changes. */
  private nextActionAt: number | undefined;
  /** The contact's chat on the `telegram` queue, for the invitation files (calendar negotiations only). */
  private readonly telegram?: Pick<TelegramActivities, 'sendFile'>;

  constructor(private readonly input: NegotiationInput) {
    this.state = initialState(input, Date.now());
    const calendar = input.meeting?.calendar;
    // Only negotiations started with a calendar take these steps; the others never ask.
    if (calendar && patched(CALENDAR_PATCH)) {
      this.telegram = invitationSender(calendar.telegramTaskQueue);
    }
    setHandler(negotiationStatusQuery, () => viewOf(this.state));
    setNegotiationUpdateHandlers({ validate: (e) => this.validate(e), handle: (e) => this.handle(e) });
  }

  /** Rejects, before it is accepted, an update the state does not allow now. */
  private validate(event: NegotiationEvent): void {
    const reason = rejection(this.state, event);
    if (reason) throw new Error(reason);
  }

  /**
   * An accepted update waits its turn (events are handled one at a time) and answers with
   * the rules' verdict, or fails with their reason if an earlier event changed what is allowed.
   */
  private async handle(event: NegotiationEvent): Promise<string> {
    const decision = await new Promise<Decision>((settle) => this.queue.push({ event, settle }));
    if (decision.rejected) {
      throw ApplicationFailure.create({ type: 'NegotiationRejected', message: decision.rejected, nonRetryable: true });
    }
    return decision.verdict;
  }

  async run(): Promise<NegotiationView> {
    const { searchAttributes, ownerId, contactId, type } = this.input;
    if (searchAttributes !== false) {
      upsertSearchAttributes([
        { key: SearchAttributes.owner, value: String(ownerId) },
        { key: SearchAttributes.contact, value: String(contactId) },
        { key: SearchAttributes.type, value: type },
      ]);
    }
    await this.apply({ kind: 'open' });
    for (
      let wakeAt = nextWakeAt(this.state, Date.now());
      wakeAt !== undefined;
      wakeAt = nextWakeAt(this.state, Date.now())
    ) {
      const arrived = await condition(() => this.queue.length > 0, Math.max(wakeAt - Date.now(), 1));
      if (!arrived) {
        await this.apply({ kind: 'timer' });
        continue;
      }
      const { event, settle } = this.queue.shift()!;
      settle(await this.apply(await this.withCalendarCheck(event)));
    }
    // Whatever is still queued arrived too late: the rules reject it now the negotiation is over.
    for (const { event, settle } of this.queue.splice(0)) settle(decide(this.state, event, Date.now()));
    await condition(allHandlersFinished);
    return viewOf(this.state);
  }

  /** The contact confirming the agreed time: the owner's calendar is asked again first (a slot taken meanwhile is not booked). */
  private async withCalendarCheck(event: NegotiationEvent): Promise<NegotiationEvent> {
    const slot = this.telegram && slotToCheck(this.state, event);
    if (!slot || event.kind !== 'contact') return event;
    const slotState = await calendarActivities
      .checkMeetingSlot({ taskId: this.input.taskId, slot, ownerTimeZone: this.input.ownerTimeZone })
      .catch(() => 'unknown' as const);
    return { ...event, slotState };
  }

  private async apply(event: NegotiationEvent): Promise<Decision> {
    const before = this.state;
    const decision = decide(before, event, Date.now());
    this.state = decision.state;
    if (decision.rejected) return decision;
    await this.project(before);
    for (const effect of decision.effects) await this.carryOut(effect);
    return decision;
  }

  /** The state's projections: the UI always, the database row and search attribute when they change. */
  private async project(before: NegotiationState): Promise<void> {
    const { status, result } = this.state;
    setCurrentDetails(negotiationDetails(this.state, Date.now()));
    // New upserts: negotiations started before this code must not see them on replay.
    if (this.input.searchAttributes !== false && patched(NEXT_ACTION_PATCH)) {
      const next = nextWakeAt(this.state, Date.now());
      if (next !== this.nextActionAt) {
        this.nextActionAt = next;
        upsertSearchAttributes([
          { key: SearchAttributes.nextActionAt, value: next === undefined ? null : new Date(next) },
        ]);
      }
    }
    if (status === before.status && result === before.result) return;
    if (this.input.searchAttributes !== false)
      upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
    await recordNegotiation({ taskId: this.input.taskId, status, result });
  }

  private async carryOut(effect: NegotiationEffect): Promise<void> {
    if (effect.kind === 'book' || effect.kind === 'unbook') {
      return this.carryOutBooking(effect.kind, effect.slot, effect.sequence ?? 0);
    }
    const { taskId, contactId, contactName, ownerName } = this.input;
    const id = `${workflowInfo().workflowId}/to-${effect.kind === 'tell-contact' ? 'contact' : 'owner'}-${++this.messages}`;
    if (effect.kind === 'tell-contact') {
      await instructContact({ taskId, contactId, contactName, instructionId: id, text: effect.text });
      return;
    }
    await tellOwner({
      ownerName,
      notice: {
        noticeId: id,
        fromTelegramId: contactId,
        fromName: `Conversation ${taskId} with ${contactName}`,
        text: effect.text,
      },
    });
  }

  /**
   * Books or cancels the meeting in the owner's calendar, then sends the contact the matching
   * .ics (REQUEST or CANCEL) once (its id is the workflow's and the method). A calendar that
   * cannot be written is the owner's to fix: they are told; the contact is invited anyway.
   */
  private async carryOutBooking(kind: 'book' | 'unbook', slot: Slot, sequence: number): Promise<void> {
    if (!this.telegram) return;
    // Before changes were counted, a cancellation was always the first change.
    const meeting = this.meetingDetails(slot, kind === 'unbook' ? Math.max(sequence, 1) : sequence);
    const say = new NegotiationWording(this.input, this.state.contactTimeZone);
    try {
      await (kind === 'book' ? calendarActivities.bookMeeting(meeting) : calendarActivities.cancelMeeting(meeting));
    } catch {
      await this.tellOwnerDirectly(kind === 'book' ? say.bookingFailed(slot) : say.unbookingFailed(slot));
    }
    const method = kind === 'book' ? 'REQUEST' : 'CANCEL';
    const invitation = await calendarActivities.meetingInvitation({ meeting, method });
    const file: SendFileInput = {
      chatId: this.input.contactId,
      ...invitation,
      // One file per version of the meeting: a move sends a new one, a retry never a second.
      idempotencyKey: `${workflowInfo().workflowId}/invitation-${method}${method === 'REQUEST' && sequence > 0 ? `-${sequence}` : ''}`,
    };
    await this.telegram.sendFile(file);
  }

  private meetingDetails(slot: Slot, sequence: number): MeetingDetails {
    const { taskId, ownerName, ownerTimeZone, contactId, contactName, brief, meeting } = this.input;
    const contactTimeZone = this.state.contactTimeZone;
    return {
      taskId,
      ownerName,
      ownerTimeZone,
      contactId,
      contactName,
      contactTimeZone,
      brief,
      slot,
      place: meeting?.place,
      sequence,
    };
  }

  private async tellOwnerDirectly(text: string): Promise<void> {
    await this.carryOut({ kind: 'tell-owner', text });
  }
}
