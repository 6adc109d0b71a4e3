-- Meetings with several people: everyone invited to one negotiation, so each guest's session may report on it.
-- CreateTable
CREATE TABLE "NegotiationGuest" (
    "negotiationId" TEXT NOT NULL,
    "contactId" BIGINT NOT NULL,

    CONSTRAINT "NegotiationGuest_pkey" PRIMARY KEY ("negotiationId","contactId")
);

-- CreateIndex
CREATE INDEX "NegotiationGuest_contactId_idx" ON "NegotiationGuest"("contactId");

-- AddForeignKey
ALTER TABLE "NegotiationGuest" ADD CONSTRAINT "NegotiationGuest_negotiationId_fkey" FOREIGN KEY ("negotiationId") REFERENCES "Negotiation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NegotiationGuest" ADD CONSTRAINT "NegotiationGuest_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "User"("telegramId") ON DELETE RESTRICT ON UPDATE CASCADE;

