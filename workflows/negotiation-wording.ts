// What a negotiation says: its instructions to the contact's session, its notices to the
// owner, and its verdicts on what the owner decides and the contact reports. Times are
// stated in both people's zones. Pure (workflow bundle).
import type { NegotiationInput, Slot } from '../contracts/negotiation.ts';
import { formatSpanInZones } from '../pure/time-zones.ts';

export class NegotiationWording {
  constructor(
    private readonly terms: NegotiationInput,
    /** The contact's zone as last reported (a proposal may name it). */
    private readonly contactTimeZone: string,
  ) {}

  slot(slot: Slot): string {
    return formatSpanInZones(slot.startUtc, slot.endUtc, [this.terms.ownerTimeZone, this.contactTimeZone]);
  }

  options(): string {
    return (this.terms.meeting?.options ?? []).map((o) => this.slot(o)).join('; ');
  }

  windows(): string {
    return (this.terms.meeting?.windows ?? []).map((w) => this.slot(w)).join('; ');
  }

  private get contact() {
    return this.terms.contactName;
  }

  private get owner() {
    return this.terms.ownerName;
  }

  private place(): string {
    return this.terms.meeting?.place ? `, ${this.terms.meeting.place}` : '';
  }

  // --- To the contact's session -------------------------------------------------------

  opening(): string {
    const { meeting, brief, taskId } = this.terms;
    return [
      `Start this conversation on behalf of ${this.owner}: ${brief}`,
      meeting
        ? `It is about a ${meeting.durationMinutes}-minute meeting${meeting.place ? ` (${meeting.place})` : ''}. ${this.owner} is available: ${this.windows()}. Propose times only inside these windows, always stating them in both time zones, and ask which suits them.`
        : '',
      meeting?.options?.length ? `Offer these options first (from ${this.owner}'s calendar): ${this.options()}.` : '',
      `Record what they answer with update_conversation (task ${taskId}).`,
    ]
      .filter(Boolean)
      .join(' ');
  }

  nudge(): string {
    return `${this.contact} has not answered yet. Send a short, friendly reminder about: ${this.terms.brief}`;
  }

  ownerAccepts(slot: Slot, message?: string): string {
    return `${this.owner} accepts ${this.slot(slot)}${message ? ` and says: ${message}` : ''}. Confirm this exact time with ${this.contact} and record their confirmation with update_conversation (kind "confirmed").`;
  }

  ownerAnswers(decision: 'decline' | 'counter', message?: string): string {
    const answer = message ?? (decision === 'decline' ? 'that does not work.' : '');
    return `${this.owner}'s answer: ${answer} Pass it on and continue${this.terms.meeting ? `; new proposals must fit: ${this.windows()}` : ''}.`;
  }

  cancelled(): string {
    return `${this.owner} no longer needs this (${this.terms.brief}). Tell them politely; nothing else is needed.`;
  }

  expired(): string {
    return `${this.owner}'s request has expired; close the topic politely without promising anything.`;
  }

  // --- Verdicts on the contact's reports (the tool's result in the contact's session) ----

  timeWorks(slot: Slot): string {
    return `That time works for ${this.owner}: ${this.slot(slot)}. Confirm it back to ${this.contact} in both time zones and ask for a clear yes; then record it with update_conversation (kind "confirmed").`;
  }

  checkingWithOwner(slot: Slot): string {
    return `Not agreed yet: ${this.slot(slot)} is outside ${this.owner}'s windows. Tell ${this.contact} you will check ${this.slot(slot)} with ${this.owner} and come back; do not agree to it.`;
  }

  finalConfirmation(slot: Slot): string {
    return `Agreed. Final confirmation to ${this.contact}: ${this.slot(slot)}${this.place()}. Thank them.`;
  }

  slotTaken(slot: Slot, next?: Slot): string {
    return `Not confirmed: ${this.slot(slot)} was just taken in ${this.owner}'s calendar and is no longer free. Apologise to ${this.contact} and ${next ? `offer ${this.slot(next)} instead` : `ask which other time inside ${this.windows()} suits them`}; record their answer with update_conversation.`;
  }

  meetingCancelled(slot: Slot, reason?: string): string {
    return `${this.owner} has cancelled the meeting on ${this.slot(slot)}${reason ? ` (${reason})` : ''}. Tell ${this.contact} politely, with an apology; the calendar cancellation has been sent to them.`;
  }

  answerPassedOn(): string {
    return `Recorded. Thank ${this.contact}; their answer has been passed to ${this.owner}.`;
  }

  declinePassedOn(): string {
    return `Recorded. ${this.owner} will decide how to continue; tell ${this.contact} so, and promise nothing until an instruction comes.`;
  }

  agreeOnATimeFirst(): string {
    return `There is no agreed time to confirm yet: agree with ${this.contact} on a concrete time inside: ${this.windows()}.`;
  }

  infoPassedOn(): string {
    return `Passed on to ${this.owner}.`;
  }

  // --- To the owner -------------------------------------------------------------------

  outsideWindows(slot: Slot, note?: string): string {
    return `${this.contact} proposes ${this.slot(slot)}, outside your windows (${this.windows()}).${note ? ` They say: ${note}.` : ''} Accept, decline, or suggest another time (conversation ${this.terms.taskId}).`;
  }

  contactDeclined(note?: string): string {
    return `${this.contact} declined${note ? `: ${note}` : ''}. Tell me how to continue, or cancel (conversation ${this.terms.taskId}).`;
  }

  contactAnswered(answer: string): string {
    return `✅ ${this.contact} answered: ${answer}`;
  }

  meetingAgreed(slot: Slot): string {
    return `✅ Meeting with ${this.contact} agreed: ${this.slot(slot)}${this.place()}.`;
  }

  calendarUnknown(slot: Slot): string {
    return `${this.contact} confirmed ${this.slot(slot)}, but your calendar could not be read to check that it is still free. Accept to book it anyway, or decline (conversation ${this.terms.taskId}).`;
  }

  bookingFailed(slot: Slot): string {
    return `⚠️ The meeting with ${this.contact} (${this.slot(slot)}) is agreed, but I could not write it into your calendar: please add it yourself. ${this.contact} got the invitation.`;
  }

  unbookingFailed(slot: Slot): string {
    return `⚠️ I could not remove the meeting with ${this.contact} (${this.slot(slot)}) from your calendar: please delete it yourself. ${this.contact} got the cancellation.`;
  }

  deadlinePassed(): string {
    return `⌛ No agreement with ${this.contact} before the deadline; I've stopped (conversation ${this.terms.taskId}).`;
  }

  noAnswer(nudges: number): string {
    return `⌛ ${this.contact} has not answered after ${nudges} reminders; I've stopped (conversation ${this.terms.taskId}).`;
  }

  // --- Verdicts on the owner's decisions (the tool's result in the owner's session) ----

  acceptVerdict(slot: Slot): string {
    return `Accepted: I'm confirming ${this.slot(slot)} with ${this.contact}; you'll hear when they confirm.`;
  }

  answerVerdict(decision: 'decline' | 'counter'): string {
    return decision === 'decline'
      ? `Declined: ${this.contact} is told, and asked for another time.`
      : `Passed your answer on to ${this.contact}.`;
  }

  meetingMoved(before: Slot, slot: Slot): string {
    return `${this.owner} has moved the meeting from ${this.slot(before)} to ${this.slot(slot)}${this.place()}. Tell ${this.contact} politely, with an apology; the updated calendar invitation has been sent to them.`;
  }

  meetingMovedVerdict(slot: Slot): string {
    return `Moved the meeting with ${this.contact} to ${this.slot(slot)}: your calendar is updated and ${this.contact} gets the updated invitation.`;
  }

  meetingCancelVerdict(slot: Slot): string {
    return `Cancelled the meeting with ${this.contact} (${this.slot(slot)}): it is removed from your calendar and ${this.contact} gets the cancellation.`;
  }

  cancelVerdict(): string {
    return `Cancelled the conversation with ${this.contact}; they are told it is no longer needed.`;
  }
}
