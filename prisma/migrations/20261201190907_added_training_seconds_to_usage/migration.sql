-- AlterTable
ALTER TABLE "UsageRollup" ADD COLUMN     "trainingSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0;
