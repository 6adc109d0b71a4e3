// What an operator reads of a negotiation in the Temporal UI (its current details): where it
// stands, what happened last, what it waits for and until when, and the agreed time in the
// owner's zone once agreed. Names and statuses only: the brief and notes stay out.
import { formatInZone, formatSpanInZones } from '../pure/time-zones.ts';
import { nextWakeAt } from './negotiation-rules.ts';
import type { NegotiationState } from './negotiation-rules.ts';

export function negotiationDetails(state: NegotiationState, now: number): string {
  const { terms, status, lastEvent, result, nudges } = state;
  const zone = terms.ownerTimeZone;
  const lines = [
    `**${status}** — ${lastEvent}`,
    `${terms.type} with ${terms.contactName} for ${terms.ownerName}; reminders sent: ${nudges}`,
  ];
  if (result && 'meeting' in result) {
    lines.push(`**Agreed:** ${formatSpanInZones(result.meeting.startUtc, result.meeting.endUtc, [zone])}`);
  } else if (state.pendingSlot) {
    lines.push(`On the table: ${formatSpanInZones(state.pendingSlot.startUtc, state.pendingSlot.endUtc, [zone])}`);
  }
  const next = nextWakeAt(state, now);
  if (next !== undefined) lines.push(`Next: ${nextActionWords(state)} ${formatInZone(new Date(next), zone)}`);
  return lines.join('\n\n');
}

function nextActionWords(state: NegotiationState): string {
  if (state.booked) return 'meeting ends';
  if (state.status !== 'in_progress') return 'deadline';
  const deadline = state.openedAt + state.terms.timing.deadlineMs;
  const due = state.lastContactAt + state.terms.timing.nudgeAfterMs;
  return state.nudges >= state.terms.timing.maxNudges || due >= deadline ? 'deadline' : 'reminder to the contact';
}
