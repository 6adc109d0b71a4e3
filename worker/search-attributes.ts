// Registers the typed search attributes the workflows set (operators filter on them in
// the Temporal UI and with `temporal workflow list --query`). Idempotent.
import type { Connection } from '@temporalio/client';
// CommonJS package: its namespaces are only reachable through the default export under Node's ESM.
import proto from '@temporalio/proto';
import { LegacySearchAttributes, SearchAttributes } from '../contracts/negotiation.ts';

const INDEXED = proto.temporal.api.enums.v1.IndexedValueType;
/** The server's index type for each of the SDK's search attribute types we use. */
const INDEX_TYPES: Record<string, number> = {
  KEYWORD: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: INDEXED.INDEXED_VALUE_TYPE_DATETIME,
  TEXT: INDEXED.INDEXED_VALUE_TYPE_TEXT,
  INT: INDEXED.INDEXED_VALUE_TYPE_INT,
};

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  // The legacy keys too: negotiations started before the rename still set them.
  const keys = [...Object.values(SearchAttributes), ...Object.values(LegacySearchAttributes)];
  const missing = keys.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEX_TYPES[key.type]!])),
  });
}
