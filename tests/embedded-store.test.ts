// The embedded Temporal server keeps a bounded store: the retention the owner configured
// (TEMPORAL_RETENTION_HOURS) is what the real dev server holds for the namespaces, so closed
// runs are deleted after it. How the file then stays bounded is measured by `npm run bench:store`.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../infra/config.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { startEmbeddedTemporal, TemporalUnavailable } from '../infra/temporal.ts';
import { freePort } from './support/processes.ts';

async function retentionHours(connection: Connection, namespace: string): Promise<number> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  return tsToMs(described.config!.workflowExecutionRetentionTtl) / 3_600_000;
}

describe('the embedded Temporal store', () => {
  it('defaults to a week of closed runs, and refuses a retention below the server minimum', () => {
    expect(loadConfig({ OWNER_TELEGRAM_ID: '1', ANTHROPIC_API_KEY: 'k' }).temporalRetentionHours).toBe(168);
    expect(() => loadConfig({ OWNER_TELEGRAM_ID: '1', ANTHROPIC_API_KEY: 'k', TEMPORAL_RETENTION_HOURS: '0' })).toThrow(
      /TEMPORAL_RETENTION_HOURS/,
    );
  });

  it('sets the configured retention on the namespaces of a real dev server, on every start', async () => {
    const dataDir = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'store-'));
    const start = async (hours: number) =>
      startEmbeddedTemporal({
        cliPath: inject('temporalCliPath'),
        dataDir,
        port: await freePort(),
        uiPort: await freePort(),
        namespace: 'jobs-store-test',
        retentionHours: hours,
      });
    try {
      for (const hours of [5, 30]) {
        const temporal = await start(hours);
        const connection = await Connection.connect({ address: temporal.address });
        try {
          expect(await retentionHours(connection, 'jobs-store-test')).toBe(hours);
          expect(await retentionHours(connection, 'default')).toBe(hours);
        } finally {
          await connection.close();
          await temporal.stop();
        }
      }
      // Below the server's minimum the start fails with a sentence, and leaves no server running.
      const port = await freePort();
      await expect(
        startEmbeddedTemporal({
          cliPath: inject('temporalCliPath'),
          dataDir,
          port,
          uiPort: await freePort(),
          namespace: 'default',
          retentionHours: 0.5,
        }),
      ).rejects.toThrow(TemporalUnavailable);
      await expect(Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1000 })).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
