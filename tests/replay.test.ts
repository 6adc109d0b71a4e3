// Replay: histories recorded from real runs under tests/histories/ must replay on the
// current workflow code without non-determinism. A change that would break running
// sessions fails here, and must go through patched()/deprecatePatch().
//
// To record a fresh history after a deliberate, patched change:
//   RECORD_HISTORIES=1 npm test -- tests/replay.test.ts
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sessionWorkflowId } from '../contracts/session.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { createDataConverter } from '../infra/payload-keys.ts';
import { sessionStatusQuery } from '../contracts/session.ts';
import { lastUserTexts, say, toolResults, useTool } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const HISTORIES = join(REPO_ROOT, 'tests', 'histories');
// Histories recorded from now on hold encrypted payloads: a fixed key, for tests only,
// keeps them replayable (older, plain histories pass through the codec unchanged).
const REPLAY_TEST_KEY = 'cmVwbGF5LXRlc3Qta2V5LW5vdC1hLXNlY3JldC0wMDA=';
const replayOptions = () => ({
  workflowBundle: { codePath: inject('workflowBundlePath') },
  dataConverter: createDataConverter({ dataDir: '', temporalPayloadKey: REPLAY_TEST_KEY, temporalPayloadOldKeys: [] }),
});

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ SESSION_TURNS_PER_RUN: '50', TEMPORAL_PAYLOAD_KEY: REPLAY_TEST_KEY });
});

afterAll(async () => {
  await stack?.teardown();
});

describe('replay', () => {
  it('replays every recorded history on the current workflow code', async () => {
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
      await expect(Worker.runReplayHistory(replayOptions(), history, file)).resolves.toBeUndefined();
    }
  });

  it('replays a session that used tools, relayed a notice and handled bad input', async () => {
    const owner = stack.owner;
    const contact = stack.newContact('Nina');
    stack.claude.script = (req) => {
      const system = req.body.system[0].text as string;
      if (system.includes('You are Jobs')) {
        return toolResults(req).length === 0 && lastUserTexts(req).includes('who wrote to me?')
          ? useTool('list_contacts', {})
          : say(`Owner reply to: ${lastUserTexts(req).at(-1)}`);
      }
      return toolResults(req).length === 0
        ? useTool('send_summary_to_owner', { summary: 'Nina would like a call tomorrow.' })
        : say('Passed on.');
    };
    await stack.run(async () => {
      await stack.send(owner, 'hello');
      await stack.telegram.waitForMessages(owner.telegramId, 1);
      await stack.send(contact, 'Could Olga call me tomorrow?');
      await stack.telegram.waitForMessages(contact.telegramId, 1);
      await stack.telegram.waitForMessages(owner.telegramId, 2);
      await stack.send(owner, 'who wrote to me?');
      await stack.telegram.waitForMessages(owner.telegramId, 3);
      await stack.send(owner, '   ');
      await stack.telegram.waitForMessages(owner.telegramId, 4);
      const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(owner.telegramId));
      await waitUntil(async () => {
        const s = await handle.query(sessionStatusQuery);
        return !s.busy && s.queued === 0;
      }, 'owner session idle');
    });

    for (const [name, id] of [
      ['session-owner', owner.telegramId],
      ['session-contact', contact.telegramId],
    ] as const) {
      const history = await stack.env.client.workflow.getHandle(sessionWorkflowId(id)).fetchHistory();
      expect(history.events!.length).toBeGreaterThan(10);
      await Worker.runReplayHistory(replayOptions(), history, `${name}-fresh`);
      if (process.env.RECORD_HISTORIES === '1') {
        mkdirSync(HISTORIES, { recursive: true });
        writeFileSync(join(HISTORIES, `${name}.json`), historyToJSON(history));
      }
    }
  });
});
