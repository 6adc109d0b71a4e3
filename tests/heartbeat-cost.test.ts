// The heartbeat costs nothing on a quiet day: over a whole time-skipped day with nothing
// due, it beats every interval outside quiet hours and makes no Claude call at all.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { heartbeatStatusQuery, heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import { ensureHeartbeat } from '../worker/heartbeat-starter.ts';
import { skipTo } from './support/server-clock.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';

const HOUR = 3600_000;
let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack(
    { OWNER_TIMEZONE: 'Europe/Berlin', HEARTBEAT_INTERVAL_MINUTES: '30', HEARTBEAT_QUIET_HOURS: '22-8' },
    { timeSkipping: true },
  );
  await stack.db.user.create({ data: { telegramId: BigInt(stack.owner.telegramId), firstName: 'Olga' } });
});

afterAll(async () => {
  await stack?.teardown();
});

it('makes 0 Claude calls over a day when nothing is due', { timeout: 300_000 }, async () => {
  await stack.run(async () => {
    await ensureHeartbeat(stack.env.client, stack.config);
    const handle = stack.env.client.workflow.getHandle(heartbeatWorkflowId(stack.owner.telegramId));
    await skipTo(stack.env, (await stack.env.currentTimeMs()) + 25 * HOUR);
    const status = await handle.query(heartbeatStatusQuery);
    // 14 daytime hours at two beats an hour: the day really passed, beat by beat.
    expect(status.beats).toBeGreaterThanOrEqual(25);
    expect(status.checks).toBe(0);
    expect(stack.claude.requests).toHaveLength(0);
    expect(stack.telegram.messagesTo(stack.owner.telegramId)).toHaveLength(0);
  });
});
