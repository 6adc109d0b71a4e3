// The owner's heartbeat (`heartbeat-<ownerId>`): every interval, outside quiet hours,
// gather facts cheaply; only when there is something, ask Claude whether and how to
// tell the owner. "Nothing to report" never reaches the owner, and an empty beat costs
// one database read. Each beat's outcome shows in the Temporal UI (current details).
import {
  ActivityFailure,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { nextDaytime } from '../pure/time-zones.ts';
import { configureHeartbeatSignal, heartbeatStatusQuery } from '../contracts/heartbeat.ts';
import { plainHeartbeatReport } from '../pure/heartbeat-report.ts';
import type {
  HeartbeatActivities,
  HeartbeatDecision,
  HeartbeatSettings,
  HeartbeatStatus,
  HeartbeatWorkflow,
} from '../contracts/heartbeat.ts';

const { gatherHeartbeatFacts, reportHeartbeat } = proxyActivities<HeartbeatActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});

const { decideHeartbeat } = proxyActivities<HeartbeatActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 6 },
});

/** Beats per run before continuing as new: keeps the history small for a workflow that never ends. */
const BEATS_PER_RUN = 100;

/** When the next beat is due: one interval on, moved out of quiet hours. */
export function nextBeatAt(nowMs: number, s: HeartbeatSettings): number {
  return nextDaytime(nowMs + s.intervalMinutes * 60_000, s.timeZone, s.quietEndHour, s.quietStartHour);
}

export const heartbeatWorkflow: HeartbeatWorkflow = async function heartbeatWorkflow(input) {
  let settings = input.settings;
  const status: HeartbeatStatus = input.carried ?? { beats: 0, checks: 0, notifications: 0 };
  setHandler(configureHeartbeatSignal, (next) => {
    settings = next;
  });
  setHandler(heartbeatStatusQuery, () => status);
  const { runId } = workflowInfo();

  const show = () =>
    setCurrentDetails(
      `**Last beat:** ${status.lastBeatAt ?? 'none yet'} — ${status.lastOutcome ?? ''}\n\n**Next beat:** ${status.nextBeatAt}\n\nBeats ${status.beats}, checks with Claude ${status.checks}, owner notified ${status.notifications} times.`,
    );

  for (let i = 0; i < BEATS_PER_RUN; i++) {
    const wakeAt = nextBeatAt(Date.now(), settings);
    status.nextBeatAt = new Date(wakeAt).toISOString();
    show();
    await sleep(wakeAt - Date.now());

    const now = new Date().toISOString();
    status.beats += 1;
    status.lastBeatAt = now;
    const facts = await gatherHeartbeatFacts({ ownerId: input.ownerId, now, stallHours: settings.stallHours });
    if (facts.length === 0) {
      status.lastOutcome = 'nothing to check';
      continue;
    }
    status.checks += 1;
    const beatId = `heartbeat-${input.ownerId}/${runId}/${i}`;
    let decision: HeartbeatDecision;
    try {
      decision = await decideHeartbeat({ beatId, ownerId: input.ownerId, facts, now });
    } catch (err) {
      // Claude stayed unreachable: the facts still reach the owner, plainly.
      log.warn('Heartbeat could not ask Claude; sending the facts as they are', {
        error: err instanceof ActivityFailure && err.cause ? err.cause.message : String(err),
      });
      decision = { notify: true, message: plainHeartbeatReport(facts) };
    }
    await reportHeartbeat({ beatId, ownerId: input.ownerId, facts, decision });
    if (decision.notify) status.notifications += 1;
    status.lastOutcome = decision.notify
      ? `told the owner about ${facts.length} item(s)`
      : `${facts.length} item(s) checked, not worth a message`;
  }
  status.nextBeatAt = undefined;
  await continueAsNew<typeof heartbeatWorkflow>({ ...input, settings, carried: status });
};
