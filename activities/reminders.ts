// What a reminder does when it comes due: the text straight to the owner's chat (or,
// for a job such as "send me my agenda", a turn of the owner's assistant), late runs
// marked as late, per the missed-run policy stated in workflows/reminder-api.ts.
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { nameOf } from './person-name.ts';
import { occurrencesBetween } from '../pure/recurrence.ts';
import type { SessionClient } from '../clients/sessions.ts';
import { formatInZone } from '../pure/time-zones.ts';
import type { DeliverReminderInput, DeliverReminderOutcome, ReminderActivities } from '../contracts/reminder.ts';

export interface ReminderDeps {
  db: Db;
  sessions: SessionClient;
  config: Pick<Config, 'ownerTelegramId' | 'reminderLateAfterSeconds'>;
}

export function createReminderActivities({ db, sessions, config }: ReminderDeps) {
  return {
    async deliverReminder(input: DeliverReminderInput): Promise<DeliverReminderOutcome> {
      const reminder = await db.reminder.findUnique({ where: { id: input.reminderId } });
      if (!reminder || reminder.status === 'cancelled') return 'cancelled';
      const dueMs = Date.parse(input.dueAt);
      const firedMs = Date.parse(input.firedAt);
      const late = firedMs - dueMs > config.reminderLateAfterSeconds * 1000;
      const skipped =
        late && reminder.kind === 'recurring' && reminder.timeOfDay
          ? occurrencesBetween(
              { weekdays: reminder.weekdays, time: reminder.timeOfDay, timeZone: reminder.timeZone },
              dueMs,
              firedMs,
            )
          : 0;
      const lateNote = late
        ? `(This was due ${formatInZone(new Date(dueMs), reminder.timeZone)}; it is late because the assistant was offline then.${
            skipped > 0
              ? ` ${skipped} later run${skipped > 1 ? 's' : ''} during that time ${skipped > 1 ? 'were' : 'was'} skipped.`
              : ''
          })`
        : '';

      const ownerPerson = {
        telegramId: config.ownerTelegramId,
        displayName: await nameOf(db, config.ownerTelegramId, 'Owner'),
      };
      // Keyed by the due time: a retried activity or a replayed workflow delivers once.
      const key = `reminder-${reminder.id}/${input.dueAt}`;
      if (reminder.byAssistant) {
        await sessions.deliverInstruction(ownerPerson, {
          instructionId: key,
          taskId: reminder.id,
          kind: 'scheduled-job',
          text: [reminder.text, lateNote].filter(Boolean).join('\n'),
        });
      } else {
        await sessions.deliverNotice(ownerPerson, {
          noticeId: key,
          fromTelegramId: config.ownerTelegramId,
          fromName: 'your reminder',
          text: [reminder.text, lateNote].filter(Boolean).join('\n'),
          display: [`⏰ Reminder: ${reminder.text}`, lateNote].filter(Boolean).join('\n'),
        });
      }
      await db.reminder.updateMany({
        where: { id: reminder.id, OR: [{ lastFiredAt: null }, { lastFiredAt: { not: new Date(firedMs) } }] },
        data: {
          runs: { increment: 1 },
          lastFiredAt: new Date(firedMs),
          ...(reminder.kind === 'once' && { status: 'delivered' }),
        },
      });
      return late ? 'late' : 'delivered';
    },
  } satisfies ReminderActivities;
}
