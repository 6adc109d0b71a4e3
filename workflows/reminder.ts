// Reminder workflows. A one-off reminder is a durable timer: it survives restarts and
// deploys, and fires late (saying so) if no worker was up at its time. A recurring one
// is a Temporal Schedule that starts `scheduledJobWorkflow` for every run.
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { ReminderActivities, ReminderWorkflow, ScheduledJobWorkflow } from '../contracts/reminder.ts';

const { deliverReminder } = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 30 },
});

export const reminderWorkflow: ReminderWorkflow = async function reminderWorkflow({ reminderId, fireAtUtc }) {
  const fireAt = Date.parse(fireAtUtc);
  // A timer cannot fire early; the loop only guards against a clock that moved back.
  while (Date.now() < fireAt) await sleep(fireAt - Date.now());
  return deliverReminder({ reminderId, dueAt: fireAtUtc, firedAt: new Date().toISOString() });
};

export const scheduledJobWorkflow: ScheduledJobWorkflow = async function scheduledJobWorkflow({ reminderId }) {
  // The schedule starts this run at its due time; if no worker was up, "now" is later.
  const dueAt = workflowInfo().startTime.toISOString();
  return deliverReminder({ reminderId, dueAt, firedAt: new Date().toISOString() });
};
