-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "examplesArtifactId" UUID;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_examplesArtifactId_fkey" FOREIGN KEY ("examplesArtifactId") REFERENCES "Artifact"("id") ON DELETE SET NULL ON UPDATE CASCADE;
