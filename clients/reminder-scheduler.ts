// Reminders in Temporal: a one-off reminder is a `reminder-<id>` workflow (a durable
// timer); a recurring one is the Temporal Schedule `recurring-<id>`, whose calendar is
// evaluated by the server in the owner's time zone (daylight saving included).
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Client, DayOfWeek } from '@temporalio/client';
import type { Config } from '../infra/config.ts';
import { describeRecurrence } from '../pure/recurrence.ts';
import { formatInZone } from '../pure/time-zones.ts';
import type { WeeklyRecurrence } from '../pure/recurrence.ts';
import { recurringScheduleId, reminderWorkflowId } from '../contracts/reminder.ts';
import type { ReminderWorkflow, ScheduledJobWorkflow } from '../contracts/reminder.ts';

const DAYS: DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

export class ReminderScheduler {
  constructor(
    private readonly client: Client,
    private readonly config: Pick<Config, 'taskQueue'>,
  ) {}

  /** Starts the reminder's timer; started already (a retried tool call) is fine. */
  /** `timeZone`: the owner's, for the summary operators read in the Temporal UI. */
  async startOneOff(reminder: { id: string; fireAt: Date; text: string; timeZone?: string }): Promise<void> {
    await this.client.workflow
      .start<ReminderWorkflow>('reminderWorkflow', {
        workflowId: reminderWorkflowId(reminder.id),
        taskQueue: this.config.taskQueue,
        args: [{ reminderId: reminder.id, fireAtUtc: reminder.fireAt.toISOString() }],
        staticSummary: `Reminder for the owner, ${formatInZone(reminder.fireAt, reminder.timeZone ?? 'UTC')}: ${reminder.text.slice(0, 80)}`,
      })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  }

  async cancelOneOff(id: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(reminderWorkflowId(id)).cancel();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  async createRecurring(reminder: {
    id: string;
    text: string;
    recurrence: WeeklyRecurrence;
    startAt?: Date;
  }): Promise<void> {
    const [hour, minute, second] = reminder.recurrence.time.split(':').map(Number);
    // Created already (a retried tool call) is fine.
    await this.client.schedule
      .create({
        scheduleId: recurringScheduleId(reminder.id),
        spec: {
          calendars: [
            {
              dayOfWeek: reminder.recurrence.weekdays.map((d) => DAYS[d]!),
              hour: hour!,
              minute: minute!,
              second: second ?? 0,
            },
          ],
          timezone: reminder.recurrence.timeZone,
          startAt: reminder.startAt,
        },
        action: {
          type: 'startWorkflow',
          workflowType: 'scheduledJobWorkflow',
          workflowId: `job-${reminder.id}`,
          taskQueue: this.config.taskQueue,
          args: [{ reminderId: reminder.id }] as Parameters<ScheduledJobWorkflow>,
          staticSummary: `Recurring job for the owner, ${describeRecurrence(reminder.recurrence)} (${reminder.recurrence.timeZone}): ${reminder.text.slice(0, 80)}`,
        },
        // Missed-run policy: a run still waiting for a worker makes later ones skip; a
        // server that was down itself catches up on at most the last day.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        state: {
          note: `${describeRecurrence(reminder.recurrence)} (${reminder.recurrence.timeZone}): ${reminder.text}`,
        },
      })
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      });
  }

  async deleteRecurring(id: string): Promise<void> {
    try {
      await this.client.schedule.getHandle(recurringScheduleId(id)).delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }

  /** The server's own next run times of a recurring reminder. */
  async nextRuns(id: string): Promise<Date[]> {
    const description = await this.client.schedule.getHandle(recurringScheduleId(id)).describe();
    return description.info.nextActionTimes;
  }
}

export type ReminderControl = Pick<
  ReminderScheduler,
  'startOneOff' | 'cancelOneOff' | 'createRecurring' | 'deleteRecurring' | 'nextRuns'
>;
