-- Ciphertext is incompressible: store it out of line without PostgreSQL trying pglz on every
-- 1 MiB chunk first (STORAGE EXTERNAL). Not expressible in schema.prisma, and no schema drift.
ALTER TABLE "ArtifactChunk" ALTER COLUMN "ciphertext" SET STORAGE EXTERNAL;
