// The connections every long-running process opens (Temporal client and worker
// connections, the database), closed together.
import { Client } from '@temporalio/client';
import type { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.ts';
import { createDb } from './db.ts';
import type { Db } from './db.ts';
import { connectTemporal } from './temporal.ts';
import { createDataConverter } from './payload-keys.ts';
import type { DataConverter } from '@temporalio/common';

export interface Connections {
  address: string;
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  /** Encrypts payloads (infra/payload-codec.ts): every worker of the process uses it too. */
  dataConverter: DataConverter;
  db: Db;
  close(): Promise<void>;
}

export async function openConnections(config: Config, address: string): Promise<Connections> {
  const connection = await connectTemporal(address);
  const nativeConnection = await NativeConnection.connect({ address });
  const db = createDb(config.databaseUrl);
  const dataConverter = createDataConverter(config);
  return {
    address,
    connection,
    nativeConnection,
    client: new Client({ connection, namespace: config.temporalNamespace, dataConverter }),
    dataConverter,
    db,
    async close() {
      await db.$disconnect();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
