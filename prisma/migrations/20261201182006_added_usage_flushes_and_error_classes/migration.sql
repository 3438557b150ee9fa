-- AlterTable
ALTER TABLE "UsageRollup" ADD COLUMN     "bytesIn" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "bytesOut" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "clientErrors" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "serverErrors" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "UsageFlush" (
    "id" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "flushedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageFlush_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageFlush_flushedAt_idx" ON "UsageFlush"("flushedAt");
