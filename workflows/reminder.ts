// Reminder workflows. A one-off reminder is a durable timer: it survives restarts and
// deploys, and fires late (saying so) if no worker was up at its time. A recurring one
// is a Temporal Schedule that starts `scheduledJobWorkflow` for every run.
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import type { ReminderInput, ScheduledJobInput } from './reminder-api.ts';

type Activities = ReturnType<typeof createActivities>;

const { deliverReminder } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 30 },
});

export async function reminderWorkflow({ reminderId, fireAtUtc }: ReminderInput): Promise<string> {
  const fireAt = Date.parse(fireAtUtc);
  // A timer cannot fire early; the loop only guards against a clock that moved back.
  while (Date.now() < fireAt) await sleep(fireAt - Date.now());
  return deliverReminder({ reminderId, dueAt: fireAtUtc, firedAt: new Date().toISOString() });
}

export async function scheduledJobWorkflow({ reminderId }: ScheduledJobInput): Promise<string> {
  // The schedule starts this run at its due time; if no worker was up, "now" is later.
  const dueAt = workflowInfo().startTime.toISOString();
  return deliverReminder({ reminderId, dueAt, firedAt: new Date().toISOString() });
}
