import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '../..');

interface ComposeFile {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; image?: string; depends_on?: Record<string, unknown>; volumes?: string[] }>;
  volumes: Record<string, unknown>;
}

// No Docker engine runs here: the file is checked for what it must say, not run.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;

  it('has PostgreSQL, Redis and one service per app', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['auth', 'edge', 'gateway', 'postgres', 'redis', 'registry', 'trainer']);
  });

  it.each(['auth', 'registry', 'gateway', 'trainer'])('runs the %s app from the built image against postgres and redis', (app) => {
    const service = compose.services[app];
    expect(service.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(join(root, `apps/${app}/src/main.ts`))).toBe(true);
    expect(service.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
    expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(Object.keys(service.depends_on ?? {})).toEqual(['postgres', 'redis']);
  });

  it("keeps the gateway's sealed local copies of models on a volume, under its data directory", () => {
    expect(compose.services.gateway.volumes).toEqual(['gateway-artifacts:/srv/maas/.maas/artifact-cache']);
    expect(Object.keys(compose.volumes)).toContain('gateway-artifacts');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^WORKDIR \/srv\/maas$/m);
  });
});
