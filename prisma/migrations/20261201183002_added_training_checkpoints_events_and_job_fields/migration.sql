-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "labelColumn" TEXT NOT NULL DEFAULT 'label',
ADD COLUMN     "sizeBytes" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "trainingJobId" UUID;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "backend" TEXT,
ADD COLUMN     "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "errorCode" TEXT,
ADD COLUMN     "idempotencyKey" TEXT;

-- CreateTable
CREATE TABLE "TrainingCheckpoint" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "epoch" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "artifactId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingEvent" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "jobId" UUID NOT NULL,
    "level" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingCheckpoint_tenantId_idx" ON "TrainingCheckpoint"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingCheckpoint_jobId_epoch_key" ON "TrainingCheckpoint"("jobId", "epoch");

-- CreateIndex
CREATE INDEX "TrainingEvent_jobId_id_idx" ON "TrainingEvent"("jobId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_trainingJobId_key" ON "ModelVersion"("trainingJobId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingJob_tenantId_idempotencyKey_key" ON "TrainingJob"("tenantId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "TrainingCheckpoint" ADD CONSTRAINT "TrainingCheckpoint_jobId_tenantId_fkey" FOREIGN KEY ("jobId", "tenantId") REFERENCES "TrainingJob"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingCheckpoint" ADD CONSTRAINT "TrainingCheckpoint_artifactId_fkey" FOREIGN KEY ("artifactId") REFERENCES "Artifact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingEvent" ADD CONSTRAINT "TrainingEvent_jobId_tenantId_fkey" FOREIGN KEY ("jobId", "tenantId") REFERENCES "TrainingJob"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;
