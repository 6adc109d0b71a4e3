// What a conversation costs in input tokens, and how much of it the prompt cache serves.
// The scripted Messages API (zero latency) reports `usage` the way the real API bills it:
// exact-prefix caching at each breakpoint with a 20-block lookback and the 1,024-token
// minimum (tests/support/prompt-cache.ts). Conversations go through the whole system
// (gateway → session workflow → Claude activity), on the embedded Temporal dev server
// and real PostgreSQL:
//   - 20-turn owner and contact chats: ~100-character questions, ~500-character answers,
//     a tool call every 5th turn; the cache share of input tokens on turns 3–20;
//   - a 300-turn owner chat: input tokens per turn at turns 1, 10, 50, 100, 300.
// Usage: npm run bench:tokens
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { lastUserTexts, say, useTool } from '../tests/support/scripted-claude.ts';
import type { RecordedRequest, ScriptedReply } from '../tests/support/scripted-claude.ts';
import { createClaudeClient } from '../worker/claude-client.ts';
import { createMainWorker } from '../worker/main-worker.ts';
import { runBench, startBench } from './harness.ts';
import type { BenchEnvironment } from './harness.ts';

/** The long owner chat's turns (BENCH_TOKENS_TURNS, for a quicker look). */
const LONG_TURNS = Number(process.env.BENCH_TOKENS_TURNS ?? 300);
const OWNER_ID = 1;
const RUN_ID = Date.now() % 1_000_000_000;
const CONTACT_ID = 9_100_000_000 + (Date.now() % 100_000_000);

const FILLER =
  'This depends on a few things, so here is the short version with the details that matter most for your plans this week. ';

const question = (turn: number) =>
  `Q${turn}: what do you think about item number ${turn}, compared with the ones before it?`;
const answer = (turn: number) => `A${turn}: ${FILLER.repeat(5)}`.slice(0, 500);

const isSummaryCall = (r: RecordedRequest) => typeof r.body.system === 'string';
const endsWithToolResult = (r: RecordedRequest) =>
  (r.body.messages.at(-1).content as Array<{ type: string }>).some((b) => b.type === 'tool_result');

/** A chat-sized conversation: a tool call every 5th turn, then the answer. */
function script(request: RecordedRequest): ScriptedReply {
  if (isSummaryCall(request)) return say(`The conversation so far: ${FILLER.repeat(12)}`);
  const turn = Number(/Q(\d+):/.exec(lastUserTexts(request).join(' '))?.[1] ?? 0);
  const contact = JSON.stringify(request.body.system).includes('You are the assistant of');
  if (turn % 5 === 0 && !endsWithToolResult(request)) return useTool(contact ? 'get_my_tasks' : 'list_tasks', {});
  return say(answer(turn));
}

interface TurnCost {
  /** All input tokens of the turn's conversation calls: uncached + cache writes + cache reads. */
  input: number;
  cacheRead: number;
  /** Input tokens of the summary call made after this turn, if any. */
  summaryInput: number;
}

async function converse(bench: BenchEnvironment, person: { telegramId: number; firstName: string }, turns: number) {
  const costs: TurnCost[] = [];
  const handle = bench.client.workflow.getHandle(sessionWorkflowId(person.telegramId));
  for (let turn = 1; turn <= turns; turn++) {
    const from = bench.claude.requests.length;
    const reply = bench.telegram.waitForMessages(person.telegramId, turn);
    // Message ids new to the bench database (it outlives runs, and the gateway drops redeliveries).
    await bench.gateway.receive({ from: person, messageId: RUN_ID + turn, text: question(turn) });
    await reply;
    // The summary (if the history passed its budget) is written after the reply goes out.
    while ((await handle.query(sessionStatusQuery)).busy) await new Promise((r) => setTimeout(r, 5));
    const cost: TurnCost = { input: 0, cacheRead: 0, summaryInput: 0 };
    for (const r of bench.claude.requests.slice(from)) {
      const u = r.usage!;
      const all = u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
      if (isSummaryCall(r)) cost.summaryInput += all;
      else {
        cost.input += all;
        cost.cacheRead += u.cache_read_input_tokens;
      }
    }
    costs.push(cost);
    if (process.env.BENCH_DEBUG) console.error('turn', person.firstName, turn, cost);
  }
  return costs;
}

function cacheShare(costs: TurnCost[], fromTurn: number, toTurn: number): number {
  const window = costs.slice(fromTurn - 1, toTurn);
  return window.reduce((s, c) => s + c.cacheRead, 0) / window.reduce((s, c) => s + c.input, 0);
}

runBench(async () => {
  const bench = await startBench({
    port: 17533,
    script,
    persist: false,
    claude: { emulateCache: true },
    // Memory recall is not measured here: an embeddings endpoint that refuses at once keeps
    // it out of the way (the turn goes on without memories), and the workspace is temporary.
    env: { EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', DATA_DIR: mkdtempSync(join(tmpdir(), 'jobs-bench-tokens-')) },
  });
  const { config, db, client, nativeConnection, telegram } = bench;
  try {
    const main = await createMainWorker({
      connection: nativeConnection,
      client,
      config,
      db,
      anthropic: createClaudeClient(config),
    });
    const tg = await Worker.create({
      connection: nativeConnection,
      taskQueue: config.telegramTaskQueue,
      activities: createTelegramActivities(telegram),
    });
    await main.runUntil(
      tg.runUntil(async () => {
        const contact = await converse(bench, { telegramId: CONTACT_ID, firstName: 'Carl' }, 20);
        const owner = await converse(bench, { telegramId: OWNER_ID, firstName: 'Olga' }, LONG_TURNS);
        console.log(
          `prompt cache, 20-turn chats (~100-char questions, ~500-char answers, a tool call every 5th turn); SESSION_HISTORY_TOKENS=${config.sessionHistoryTokens}`,
        );
        console.log(
          `  share of input tokens read from cache, turns 3–20: owner ${cacheShare(owner, 3, 20).toFixed(2)}, contact ${cacheShare(contact, 3, 20).toFixed(2)}`,
        );
        console.log('input tokens per turn, 300-turn owner chat (uncached + cache writes + cache reads):');
        for (const t of [1, 10, 50, 100, 300].filter((n) => n <= LONG_TURNS)) {
          const c = owner[t - 1]!;
          console.log(`  turn ${String(t).padStart(3)}: ${c.input} (cache read ${c.cacheRead})`);
        }
        if (LONG_TURNS >= 300)
          console.log(`  turn 300 / turn 50: ${(owner[299]!.input / owner[49]!.input).toFixed(2)}`);
        const folds = owner.filter((c) => c.summaryInput > 0);
        const summaryTokens = folds.reduce((s, c) => s + c.summaryInput, 0);
        console.log(
          `  summary calls: ${folds.length} in ${LONG_TURNS} turns, ${summaryTokens} input tokens (${(summaryTokens / LONG_TURNS).toFixed(0)} a turn on average, at CLAUDE_SUMMARY_MODEL's price)`,
        );
        console.log(`  cache share over all ${LONG_TURNS} turns: ${cacheShare(owner, 1, LONG_TURNS).toFixed(2)}`);
        console.log(`  requests the real API would refuse: ${bench.claude.rejected.length}`);
      }),
    );
  } finally {
    await bench.close();
  }
});
