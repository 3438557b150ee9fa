-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('TRAINING', 'EVALUATION');

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "pipeline" JSONB;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "kind" "JobKind" NOT NULL DEFAULT 'TRAINING',
ADD COLUMN     "result" JSONB,
ADD COLUMN     "versionId" UUID;

-- CreateIndex
CREATE INDEX "TrainingJob_tenantId_versionId_idx" ON "TrainingJob"("tenantId", "versionId");

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
