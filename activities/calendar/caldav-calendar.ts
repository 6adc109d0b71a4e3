// The owner's calendar over CalDAV (tsdav): read every calendar's events in a range, and
// put or delete the one event a negotiation books. Every request has a time limit, and any
// answer that is not a success is an error: a calendar that could not be read must never
// look empty (free) to the caller.
import { createDAVClient } from 'tsdav';
import type { DAVCalendar } from 'tsdav';
import type { Config } from '../../infra/config.ts';

export type CalDavSettings = Omit<NonNullable<Config['caldav']>, 'calendar'> & { calendar?: string };

/** The calendar could not be read or written; the message is safe to show (no password, no URL path). */
export class CalendarUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarUnavailable';
  }
}

type DavClient = Awaited<ReturnType<typeof createDAVClient>>;

export class CalDavCalendar {
  private client?: Promise<DavClient>;

  constructor(
    private readonly settings: CalDavSettings,
    private readonly timeoutMs = 20_000,
  ) {}

  /** The iCalendar text of every event object, on every calendar of the account, that touches the range. */
  async eventsBetween(start: Date, end: Date): Promise<string[]> {
    const client = await this.connect();
    const calendars = await this.eventCalendars(client);
    const objects = await Promise.all(
      calendars.map((calendar) =>
        client.fetchCalendarObjects({
          calendar,
          timeRange: { start: start.toISOString(), end: end.toISOString() },
        }),
      ),
    );
    return objects.flat().flatMap((o) => (typeof o.data === 'string' && o.data.includes('BEGIN:V') ? [o.data] : []));
  }

  /** Creates or replaces the event stored as `<name>.ics` in the booking calendar (same name: same event). */
  async putEvent(name: string, ics: string): Promise<void> {
    const client = await this.connect();
    const calendar = await this.bookingCalendar(client);
    const url = new URL(`${encodeURIComponent(name)}.ics`, calendar.url).toString();
    await client.updateObject({ url, data: ics, headers: { 'content-type': 'text/calendar; charset=utf-8' } });
  }

  /** The stored event `<name>.ics`, or undefined when there is none. */
  async getEvent(name: string): Promise<string | undefined> {
    const client = await this.connect();
    const calendar = await this.bookingCalendar(client);
    const url = new URL(`${encodeURIComponent(name)}.ics`, calendar.url).toString();
    const { username, password } = this.settings;
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const response = await this.strictFetch(url, { method: 'GET', headers: { authorization } }, [404]);
    return response.status === 404 ? undefined : response.text();
  }

  /** Deletes `<name>.ics`; one already gone counts as deleted. */
  async deleteEvent(name: string): Promise<void> {
    const client = await this.connect();
    const calendar = await this.bookingCalendar(client);
    const url = new URL(`${encodeURIComponent(name)}.ics`, calendar.url).toString();
    await client.deleteObject({ url });
  }

  private connect(): Promise<DavClient> {
    this.client ??= createDAVClient({
      serverUrl: this.settings.url,
      credentials: { username: this.settings.username, password: this.settings.password },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
      fetch: (input, init) => this.strictFetch(input, init),
    }).catch((err: unknown) => {
      this.client = undefined;
      throw asUnavailable(err);
    });
    return this.client;
  }

  private async eventCalendars(client: DavClient): Promise<DAVCalendar[]> {
    const calendars = await client.fetchCalendars();
    return calendars.filter((c) => !c.components || c.components.includes('VEVENT'));
  }

  private async bookingCalendar(client: DavClient): Promise<DAVCalendar> {
    const calendars = await this.eventCalendars(client);
    const wanted = this.settings.calendar;
    const calendar = wanted
      ? calendars.find((c) => nameOf(c) === wanted || c.url === wanted || c.url.replace(/\/$/, '').endsWith(wanted))
      : calendars[0];
    if (!calendar) {
      throw new CalendarUnavailable(
        wanted
          ? `The calendar "${wanted}" (CALDAV_CALENDAR) is not on the account; it has: ${calendars.map(nameOf).join(', ') || 'none'}.`
          : 'The CalDAV account has no calendar for events.',
      );
    }
    return calendar;
  }

  /** fetch with a time limit that turns every failed answer into CalendarUnavailable (but the `allowed` statuses). */
  private async strictFetch(
    input: string | URL | Request,
    init?: RequestInit,
    allowed: number[] = init?.method === 'DELETE' ? [404] : [],
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw asUnavailable(err);
    }
    if (response.ok || allowed.includes(response.status)) return response;
    if (response.status === 401 || response.status === 403) {
      throw new CalendarUnavailable(
        'The calendar server refused the login: check CALDAV_USERNAME and CALDAV_PASSWORD (an app password).',
      );
    }
    throw new CalendarUnavailable(`The calendar server answered ${response.status} ${response.statusText}.`);
  }
}

function nameOf(calendar: DAVCalendar): string {
  return typeof calendar.displayName === 'string' ? calendar.displayName : calendar.url;
}

function asUnavailable(err: unknown): CalendarUnavailable {
  if (err instanceof CalendarUnavailable) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new CalendarUnavailable('The calendar server did not answer in time.');
  return new CalendarUnavailable('The calendar server could not be reached.');
}
