// What the assistant knows of the owner's calendar: busy times ("unknown" when the calendar
// cannot be read, never "free"), meeting options from free time, and the one event per
// negotiation it books, moves or cancels.
import type { Slot } from '../../contracts/negotiation.ts';
import { freeWindows, meetingOptions, overlapsBusy } from '../../pure/free-time.ts';
import type { Interval } from '../../pure/free-time.ts';
import { busyTimes } from './busy-times.ts';
import type { BusyTime } from './busy-times.ts';
import { CalDavCalendar, CalendarUnavailable } from './caldav-calendar.ts';
import type { CalDavSettings } from './caldav-calendar.ts';
import { storedEventIcs } from './meeting-event.ts';
import type { MeetingEvent } from './meeting-event.ts';

export type BusyAnswer = { known: true; busy: BusyTime[] } | { known: false; reason: string };

export interface OptionsRequest {
  limits: Interval[];
  durationMinutes: number;
  timeZone: string;
  now: number;
}

export type OptionsAnswer = { known: true; windows: Interval[]; options: Slot[] } | { known: false; reason: string };

export interface CalendarRules {
  workingHours: { start: number; end: number };
  bufferMinutes: number;
}

export class OwnerCalendar {
  private readonly caldav: CalDavCalendar;

  constructor(
    settings: CalDavSettings,
    private readonly rules: CalendarRules,
  ) {
    this.caldav = new CalDavCalendar(settings);
  }

  async busyBetween(range: Interval, timeZone: string): Promise<BusyAnswer> {
    try {
      const texts = await this.caldav.eventsBetween(new Date(range.start), new Date(range.end));
      return { known: true, busy: busyTimes(texts, range, timeZone) };
    } catch (err) {
      if (err instanceof CalendarUnavailable) return { known: false, reason: err.message };
      // An object the parser cannot read is not proof of free time either.
      return { known: false, reason: 'An event in the calendar could not be read.' };
    }
  }

  /** Free windows within the limits and 2–3 concrete options from them. */
  async options(request: OptionsRequest): Promise<OptionsAnswer> {
    const range = {
      start: Math.min(...request.limits.map((l) => l.start)),
      end: Math.max(...request.limits.map((l) => l.end)),
    };
    const answer = await this.busyBetween(range, request.timeZone);
    if (!answer.known) return answer;
    const windows = freeWindows({
      limits: request.limits,
      busy: answer.busy,
      timeZone: request.timeZone,
      workingHours: this.rules.workingHours,
      bufferMinutes: this.rules.bufferMinutes,
      durationMinutes: request.durationMinutes,
      notBefore: request.now,
    });
    return { known: true, windows, options: meetingOptions(windows, request.durationMinutes, request.timeZone) };
  }

  /**
   * Whether the slot is still free (its own booked event, `ownEventUid`, not counting).
   * Buffers are not applied here: the slot was offered with them, and a neighbour booked
   * since does not make the meeting impossible.
   */
  async slotState(slot: Slot, timeZone: string, ownEventTaskId?: string): Promise<'free' | 'busy' | 'unknown'> {
    const answer = await this.busyBetween({ start: Date.parse(slot.startUtc), end: Date.parse(slot.endUtc) }, timeZone);
    if (!answer.known) return 'unknown';
    const others = answer.busy.filter((b) => !ownEventTaskId || b.taskId !== ownEventTaskId);
    return overlapsBusy(slot, others, 0) ? 'busy' : 'free';
  }

  /** Books (or moves: same name, same event) the negotiation's meeting. */
  async book(meeting: MeetingEvent, stamp: Date): Promise<void> {
    await this.caldav.putEvent(eventName(meeting.taskId), storedEventIcs(meeting, stamp));
  }

  async storedEvent(taskId: string): Promise<string | undefined> {
    return this.caldav.getEvent(eventName(taskId));
  }

  async cancel(taskId: string): Promise<void> {
    await this.caldav.deleteEvent(eventName(taskId));
  }
}

/** The object's name in the calendar: one per negotiation, so a retried booking overwrites itself. */
export function eventName(taskId: string): string {
  return `jobs-negotiation-${taskId}`;
}
