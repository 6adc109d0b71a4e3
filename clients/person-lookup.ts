// Runs the person lookup (workflows/look-up-person.ts) for a tool and waits for its answer.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config.ts';
import { lookUpPersonWorkflowId } from '../contracts/look-up-person.ts';
import type { LookUpPersonResult, LookUpPersonWorkflow } from '../contracts/look-up-person.ts';

export class PersonLookupClient {
  constructor(
    private readonly client: Client,
    private readonly config: Pick<Config, 'taskQueue' | 'telegramTaskQueue'>,
  ) {}

  /** `key` is stable across retries of the asking tool call. */
  async lookUp(handle: string, key: string): Promise<LookUpPersonResult> {
    const workflowId = lookUpPersonWorkflowId(key);
    try {
      return await this.client.workflow.execute<LookUpPersonWorkflow>('lookUpPersonWorkflow', {
        workflowId,
        taskQueue: this.config.taskQueue,
        args: [{ handle, telegramTaskQueue: this.config.telegramTaskQueue }],
        workflowExecutionTimeout: '1 minute',
        staticSummary: `Look up ${handle} on Telegram`,
      });
    } catch (err) {
      // A retried tool call while the first lookup still runs: wait for that one.
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return this.client.workflow.getHandle<LookUpPersonWorkflow>(workflowId).result();
      }
      throw err;
    }
  }
}
