// The tool catalogue, and the role split: which tools each role is offered.
import { z } from 'zod';
import type { Role } from '../../common/domain.ts';
import { listContacts, setContactBlocked } from './contacts.ts';
import { sendSummaryToOwner } from './owner-relay.ts';
import type { ToolDefinition } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ALL_TOOLS: ToolDefinition<any>[] = [listContacts, setContactBlocked, sendSummaryToOwner];

export interface CatalogueEntry {
  name: string;
  description: string;
  jsonSchema: { type: 'object'; [key: string]: unknown };
  definition: ToolDefinition;
}

const CATALOGUE = new Map<string, CatalogueEntry>(
  ALL_TOOLS.map((definition) => {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(definition.input) as Record<string, unknown>;
    return [
      definition.name,
      {
        name: definition.name,
        description: definition.description,
        jsonSchema: { ...schema, type: 'object' },
        definition,
      },
    ];
  }),
);

export function findTool(name: string): CatalogueEntry | undefined {
  return CATALOGUE.get(name);
}

export function toolsForRole(role: Role): CatalogueEntry[] {
  return [...CATALOGUE.values()].filter((t) => t.definition.roles.includes(role));
}
