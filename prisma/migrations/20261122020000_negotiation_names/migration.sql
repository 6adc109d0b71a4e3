-- One word for the errand the owner delegates: a negotiation (was ConversationTask, whose
-- contact column was userId). Renamed in place: rows, defaults and indexes are kept.
ALTER TYPE "ConversationType" RENAME TO "NegotiationType";
ALTER TYPE "ConversationStatus" RENAME TO "NegotiationStatus";

ALTER TABLE "ConversationTask" RENAME TO "Negotiation";
ALTER TABLE "Negotiation" RENAME COLUMN "userId" TO "contactId";
ALTER TABLE "Negotiation" RENAME CONSTRAINT "ConversationTask_pkey" TO "Negotiation_pkey";
ALTER TABLE "Negotiation" RENAME CONSTRAINT "ConversationTask_ownerId_fkey" TO "Negotiation_ownerId_fkey";
ALTER TABLE "Negotiation" RENAME CONSTRAINT "ConversationTask_userId_fkey" TO "Negotiation_contactId_fkey";
ALTER INDEX "ConversationTask_userId_status_idx" RENAME TO "Negotiation_contactId_status_idx";
ALTER INDEX "ConversationTask_ownerId_status_idx" RENAME TO "Negotiation_ownerId_status_idx";
