-- The owner's control chat: the assistant's own sends into Saved Messages, and who wrote to the companion bot.
-- CreateTable
CREATE TABLE "OwnSend" (
    "chatId" BIGINT NOT NULL,
    "randomId" TEXT NOT NULL,
    "textHash" TEXT NOT NULL,
    "messageId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnSend_pkey" PRIMARY KEY ("chatId","randomId")
);

-- CreateTable
CREATE TABLE "BotChat" (
    "telegramId" BIGINT NOT NULL,
    "accessHash" TEXT NOT NULL,
    "strangerAnsweredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotChat_pkey" PRIMARY KEY ("telegramId")
);

-- CreateIndex
CREATE INDEX "OwnSend_chatId_messageId_idx" ON "OwnSend"("chatId", "messageId");

