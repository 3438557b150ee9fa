import { defineConfig } from 'prisma/config';

// Prisma 7 keeps the URL out of schema.prisma and does not read .env by itself.
// `prisma migrate deploy` on a connected host uses DATABASE_URL; the platform applies
// the same migrations itself through the WebAssembly schema engine (libs/db).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/maas' },
});
