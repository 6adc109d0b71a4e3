-- CreateTable
CREATE TABLE "StoredSecret" (
    "toolUseId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredSecret_pkey" PRIMARY KEY ("toolUseId","field")
);
