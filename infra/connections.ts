// The connections every long-running process opens (Temporal client and worker
// connections, the database), closed together.
import { Client } from '@temporalio/client';
import type { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.ts';
import { createDb } from './db.ts';
import type { Db } from './db.ts';
import { connectTemporal } from './temporal.ts';

export interface Connections {
  address: string;
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  db: Db;
  close(): Promise<void>;
}

export async function openConnections(config: Config, address: string): Promise<Connections> {
  const connection = await connectTemporal(address);
  const nativeConnection = await NativeConnection.connect({ address });
  const db = createDb(config.databaseUrl);
  return {
    address,
    connection,
    nativeConnection,
    client: new Client({ connection, namespace: config.temporalNamespace }),
    db,
    async close() {
      await db.$disconnect();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
