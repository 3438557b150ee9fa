// Runs `prisma generate` without network access. Prisma's CLI tries to download its native
// schema engine unless PRISMA_SCHEMA_ENGINE_BINARY names an executable; `generate` never runs
// it, so a stub script is enough (see DESIGN.md §5). Migrations use the WebAssembly engine.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./prisma-engine-stub.sh', import.meta.url));
chmodSync(stub, 0o755);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
