// Workflow bundle entry (Worker `workflowsPath`).
export { sessionWorkflow } from './session.ts';
export { negotiationWorkflow } from './negotiation.ts';
