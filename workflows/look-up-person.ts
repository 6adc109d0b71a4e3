// Looks up, on Telegram, someone the owner named by @username or phone number who has
// never written: the only way for a main-queue tool to reach the live connection, which
// lives in the gateway's `telegram` task queue. Short-lived; its id comes from the tool
// call, so a retried tool call finds the same lookup.
import { proxyActivities } from '@temporalio/workflow';
import { LOOKUP_UNAVAILABLE } from '../contracts/look-up-person.ts';
import type {
  LookUpPersonResult,
  LookUpPersonWorkflowInput,
  TelegramDirectoryActivities,
} from '../contracts/look-up-person.ts';

export async function lookUpPersonWorkflow(input: LookUpPersonWorkflowInput): Promise<LookUpPersonResult> {
  const { lookUpPerson } = proxyActivities<TelegramDirectoryActivities>({
    taskQueue: input.telegramTaskQueue,
    // The tool that waits for this has a minute in all.
    scheduleToCloseTimeout: '30 seconds',
    startToCloseTimeout: '15 seconds',
    retry: { initialInterval: '1 second', maximumAttempts: 3 },
  });
  try {
    return await lookUpPerson({ handle: input.handle });
  } catch {
    return { found: false, sentence: LOOKUP_UNAVAILABLE };
  }
}
