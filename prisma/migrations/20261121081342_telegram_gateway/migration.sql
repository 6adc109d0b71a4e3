-- AlterTable
ALTER TABLE "IncomingMessage" ADD COLUMN     "signalledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "accessHash" TEXT;
