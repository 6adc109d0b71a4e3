-- MCP servers: roots announced to the server, and a per-server request limit.
ALTER TABLE "McpServer" ADD COLUMN "roots" JSONB,
ADD COLUMN "timeoutMs" INTEGER;

-- One row per MCP tool call (keyed by the tool call's id), so a retried activity never runs it twice.
CREATE TABLE "McpToolCall" (
    "callId" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "result" JSONB,

    CONSTRAINT "McpToolCall_pkey" PRIMARY KEY ("callId")
);
