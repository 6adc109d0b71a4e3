// The reminder workflows' contract: inputs, ids, and what they may ask of the world
// (ReminderActivities). No Node imports.

/** A one-off reminder: `reminder-<id>` sleeps until `fireAtUtc`, then delivers. */
export interface ReminderInput {
  reminderId: string;
  fireAtUtc: string;
}

/** One run of a recurring reminder, started by the Temporal Schedule `recurring-<id>`. */
export interface ScheduledJobInput {
  reminderId: string;
}

export interface DeliverReminderInput {
  reminderId: string;
  /** When it was due, and when it actually went out (workflow time). */
  dueAt: string;
  firedAt: string;
}

export type DeliverReminderOutcome = 'delivered' | 'late' | 'cancelled';

export type ReminderWorkflow = (input: ReminderInput) => Promise<DeliverReminderOutcome>;
export type ScheduledJobWorkflow = (input: ScheduledJobInput) => Promise<DeliverReminderOutcome>;

/** What a reminder may ask of the world. */
export interface ReminderActivities {
  deliverReminder(input: DeliverReminderInput): Promise<DeliverReminderOutcome>;
}

export const reminderWorkflowId = (reminderId: string) => `reminder-${reminderId}`;
export const recurringScheduleId = (reminderId: string) => `recurring-${reminderId}`;

// The missed-run policy: a reminder that comes due while the assistant is down is
// delivered once as soon as it is back, saying it is late and when it was due; runs of a
// recurring reminder that fell in the same downtime are skipped and counted in that
// message. REMINDER_LATE_AFTER_SECONDS says how much delay still counts as on time.
