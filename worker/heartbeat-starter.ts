// Starts the owner's heartbeat workflow if it is not running, and hands a running one
// the current settings (a restart with a changed configuration takes effect).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config.ts';
import { configureHeartbeatSignal, heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import type { HeartbeatSettings, HeartbeatWorkflow } from '../contracts/heartbeat.ts';

export type HeartbeatConfig = Pick<
  Config,
  | 'ownerTelegramId'
  | 'ownerTimeZone'
  | 'taskQueue'
  | 'heartbeatIntervalMinutes'
  | 'heartbeatQuietHours'
  | 'heartbeatStallHours'
>;

export function heartbeatSettings(config: HeartbeatConfig): HeartbeatSettings {
  return {
    intervalMinutes: config.heartbeatIntervalMinutes,
    quietStartHour: config.heartbeatQuietHours.start,
    quietEndHour: config.heartbeatQuietHours.end,
    timeZone: config.ownerTimeZone,
    stallHours: config.heartbeatStallHours,
  };
}

/** Returns false when the heartbeat is turned off (HEARTBEAT_INTERVAL_MINUTES=0), stopping a running one. */
export async function ensureHeartbeat(client: Client, config: HeartbeatConfig): Promise<boolean> {
  const workflowId = heartbeatWorkflowId(config.ownerTelegramId);
  if (config.heartbeatIntervalMinutes === 0) {
    await client.workflow
      .getHandle(workflowId)
      .terminate('heartbeat turned off (HEARTBEAT_INTERVAL_MINUTES=0)')
      .catch(() => undefined);
    return false;
  }
  const settings = heartbeatSettings(config);
  try {
    await client.workflow.signalWithStart<HeartbeatWorkflow, [HeartbeatSettings]>('heartbeatWorkflow', {
      workflowId,
      taskQueue: config.taskQueue,
      args: [{ ownerId: config.ownerTelegramId, settings }],
      signal: configureHeartbeatSignal,
      signalArgs: [settings],
      staticSummary: `Owner's check-in every ${config.heartbeatIntervalMinutes} min`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return true;
}
