// Workflow bundle entry (Worker `workflowsPath`).
export { sessionWorkflow } from './session.ts';
export { negotiationWorkflow } from './negotiation.ts';
export { heartbeatWorkflow } from './heartbeat.ts';
export { reminderWorkflow, scheduledJobWorkflow } from './reminder.ts';
export { lookUpPersonWorkflow } from './look-up-person.ts';
export { groupMeetingWorkflow } from './group-meeting.ts';
