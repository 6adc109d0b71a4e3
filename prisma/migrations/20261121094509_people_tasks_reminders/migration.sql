-- CreateEnum
CREATE TYPE "ReminderKind" AS ENUM ('once', 'recurring');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('scheduled', 'delivered', 'cancelled');

-- AlterTable
ALTER TABLE "ConversationTask" ADD COLUMN     "stallNotifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "overdueNotifiedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" TEXT NOT NULL,
    "ownerId" BIGINT NOT NULL,
    "text" TEXT NOT NULL,
    "kind" "ReminderKind" NOT NULL,
    "byAssistant" BOOLEAN NOT NULL DEFAULT false,
    "fireAt" TIMESTAMP(3),
    "weekdays" INTEGER[],
    "timeOfDay" TEXT,
    "timeZone" TEXT NOT NULL,
    "status" "ReminderStatus" NOT NULL DEFAULT 'scheduled',
    "runs" INTEGER NOT NULL DEFAULT 0,
    "lastFiredAt" TIMESTAMP(3),
    "missedNotifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Reminder_ownerId_status_idx" ON "Reminder"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Reminder_status_fireAt_idx" ON "Reminder"("status", "fireAt");

-- CreateIndex
CREATE INDEX "Task_status_dueAt_idx" ON "Task"("status", "dueAt");
