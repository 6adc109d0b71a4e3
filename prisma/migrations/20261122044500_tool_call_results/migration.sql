-- A tool call that succeeded keeps its id and its answer, so a retried call returns the
-- first answer instead of repeating its side effects.
ALTER TABLE "ToolCall" ADD COLUMN "callId" TEXT;
ALTER TABLE "ToolCall" ADD COLUMN "result" TEXT;
CREATE UNIQUE INDEX "ToolCall_callId_key" ON "ToolCall"("callId");
