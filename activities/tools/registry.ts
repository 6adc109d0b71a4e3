// The tool catalogue, and the role split: which tools each role is offered.
import { z } from 'zod';
import type { Role } from '../../contracts/domain.ts';
import { listContacts, setContactBlocked } from './contacts.ts';
import { notifyOwner, updateConversation } from './negotiation-contact.ts';
import {
  answerConversation,
  cancelConversation,
  getConversationStatus,
  listConversations,
  rescheduleMeeting,
  startConversation,
} from './negotiations.ts';
import { mcpAddServer, mcpDisableServer, mcpEnableServer, mcpListServers, mcpRemoveServer } from './mcp-admin.ts';
import { sendSummaryToOwner } from './owner-relay.ts';
import { sendFileToOwner } from './send-file.ts';
import { memoryForget, memorySave, memorySearch } from './memory.ts';
import { findPerson, getPerson, setPersonNotes, setPersonTimeZone } from './people.ts';
import { cancelReminder, listReminders, scheduleRecurring, setReminder } from './reminders.ts';
import { cancelTask, createTask, getMyTasks, listTasks, updateTask, updateTaskStatus } from './tasks.ts';
import type { ToolDefinition } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ALL_TOOLS: ToolDefinition<any>[] = [
  listContacts,
  findPerson,
  getPerson,
  setPersonNotes,
  setPersonTimeZone,
  setContactBlocked,
  createTask,
  listTasks,
  updateTask,
  cancelTask,
  setReminder,
  scheduleRecurring,
  listReminders,
  cancelReminder,
  memorySave,
  memorySearch,
  memoryForget,
  startConversation,
  getConversationStatus,
  listConversations,
  cancelConversation,
  answerConversation,
  rescheduleMeeting,
  mcpAddServer,
  mcpListServers,
  mcpRemoveServer,
  mcpEnableServer,
  mcpDisableServer,
  sendFileToOwner,
  sendSummaryToOwner,
  getMyTasks,
  updateTaskStatus,
  updateConversation,
  notifyOwner,
];

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

/**
 * The tools offered to a role: always the same list, so the prompt cache's prefix holds
 * (tools that cannot be used right now, like a contact's conversation tools with no open
 * conversation, refuse with a sentence when called).
 */
export function toolsForRole(role: Role): CatalogueEntry[] {
  return [...CATALOGUE.values()].filter((t) => t.definition.roles.includes(role));
}
