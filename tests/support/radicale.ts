// A real CalDAV server for a test file: Radicale (PyPI, installed by `npm test` into
// .tools/radicale) on 127.0.0.1, with a throwaway storage folder and one user with a
// password. Calendars are made and events written over CalDAV itself (MKCALENDAR, PUT).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/paths.ts';
import { freePort } from './processes.ts';

const python = join(REPO_ROOT, '.tools', 'radicale', 'bin', 'python');

export const radicaleInstalled = () => existsSync(python);

export interface Radicale {
  /** The account's root, for CALDAV_URL. */
  url: string;
  username: string;
  password: string;
  /** Makes a calendar (MKCALENDAR) and returns its URL. */
  makeCalendar(slug: string, displayName: string): Promise<string>;
  /** Stores an event (PUT) in a calendar made by makeCalendar. */
  putEvent(calendarUrl: string, name: string, ics: string): Promise<void>;
  stop(): void;
  /** Stops the server (the calendar becomes unreachable) until restart(). */
  down(): Promise<void>;
  /** Starts it again on the same port with the same storage. */
  restart(): Promise<void>;
}

export async function startRadicale(): Promise<Radicale> {
  if (!radicaleInstalled()) throw new Error('No Radicale: run the tests with `npm test`, which installs it.');
  mkdirSync(join(REPO_ROOT, 'tests', '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'radicale-'));
  const username = 'owner';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const port = await freePort();
  writeFileSync(join(dir, 'users'), `${username}:${password}\n`);
  writeFileSync(
    join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${join(dir, 'collections')}`,
      '[logging]',
      'level = warning',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}/${username}/`;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const launch = async () => {
    const child = spawn(python, ['-m', 'radicale', '--config', join(dir, 'config')], { stdio: 'ignore' });
    // Ready when it answers: on a loaded machine Python may take a while to start.
    for (let deadline = Date.now() + 60_000; ;) {
      const answered = await fetch(url, { method: 'PROPFIND', headers: { authorization: auth, depth: '0' } }).then(
        (r) => r.status < 500,
        () => false,
      );
      if (answered) return child;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`Radicale did not start (exit ${child.exitCode}).`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  let child = await launch();
  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  };
  return {
    url,
    username,
    password,
    async makeCalendar(slug, displayName) {
      const calendarUrl = `${url}${slug}/`;
      const body = `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${displayName}</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
      const response = await fetch(calendarUrl, { method: 'MKCALENDAR', headers: { authorization: auth }, body });
      if (!response.ok) throw new Error(`MKCALENDAR ${slug}: ${response.status}`);
      return calendarUrl;
    },
    async putEvent(calendarUrl, name, ics) {
      const response = await fetch(`${calendarUrl}${name}.ics`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'text/calendar; charset=utf-8' },
        body: ics,
      });
      if (!response.ok) throw new Error(`PUT ${name}: ${response.status} ${await response.text()}`);
    },
    stop: () => child.kill(),
    async restart() {
      await halt();
      child = await launch();
    },
    down: halt,
  };
}
