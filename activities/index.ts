// All activities of the main task queue, built over their dependencies.
import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../common/config.ts';
import type { Db } from '../common/db.ts';
import type { SessionRouter } from '../common/session-router.ts';
import { createClaudeActivities } from './claude.ts';
import { createToolActivities } from './tools/execute.ts';
import { createVoiceActivities } from './voice.ts';

export interface ActivityDeps {
  db: Db;
  anthropic: Anthropic;
  config: Config;
  router: SessionRouter;
}

export function createActivities({ db, anthropic, config, router }: ActivityDeps) {
  return {
    ...createClaudeActivities({ db, anthropic, config }),
    ...createVoiceActivities({ config }),
    ...createToolActivities({
      db,
      config,
      notifyOwner: (ownerName, notice) => router.deliverOwnerNotice(ownerName, notice),
    }),
  };
}
