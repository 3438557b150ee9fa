import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AuthAppModule } from '../../apps/auth/src/auth-app.module';
import { GatewayAppModule } from '../../apps/gateway/src/gateway-app.module';
import { RegistryAppModule } from '../../apps/registry/src/registry-app.module';
import { TrainerAppModule } from '../../apps/trainer/src/trainer-app.module';
import { startTestApp } from '../support/test-app';

const APPS: Record<string, Type> = { auth: AuthAppModule, registry: RegistryAppModule, gateway: GatewayAppModule, trainer: TrainerAppModule };

interface Location {
  match: (path: string) => boolean;
  upstream?: string;
}

/** nginx's choice: an exact `=` location first, then the first regular expression that matches, then the prefix. */
function edgeLocations(): { exact: Location[]; regex: Location[]; prefix: Location[] } {
  const config = readFileSync(join(__dirname, '../../deploy/nginx.conf'), 'utf8');
  const locations = { exact: [] as Location[], regex: [] as Location[], prefix: [] as Location[] };
  for (const [, modifier, pattern, body] of config.matchAll(/location\s+(=|~)?\s*(\S+)\s*\{([^}]*)\}/g)) {
    const upstream = /proxy_pass http:\/\/(\w+)/.exec(body)?.[1];
    if (modifier === '=') locations.exact.push({ match: (path) => path === pattern, upstream });
    else if (modifier === '~') locations.regex.push({ match: (path) => new RegExp(pattern).test(path), upstream });
    else locations.prefix.push({ match: (path) => path.startsWith(pattern), upstream });
  }
  return locations;
}

function routeOf(path: string): string {
  const { exact, regex, prefix } = edgeLocations();
  const location = exact.find((candidate) => candidate.match(path)) ?? regex.find((candidate) => candidate.match(path)) ?? prefix.find((candidate) => candidate.match(path));
  return location?.upstream ?? 'console';
}

describe('the edge of the multi-process deployment (deploy/nginx.conf)', () => {
  it.each(Object.keys(APPS))('sends every operation of the %s app to it', async (name) => {
    const app = await startTestApp([APPS[name]]);
    try {
      // /health/* are each app's own probes (the containers' health checks call them directly), not routes of the edge.
      const paths = Object.keys((await app.request({ url: '/docs/json' })).json().paths).filter((path) => !path.startsWith('/health/')).map((path) => path.replace(/\{[^}]+\}/g, 'some-name'));
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((path) => routeOf(path) !== name).map((path) => `${path} → ${routeOf(path)}`)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('serves the console for every other path', () => {
    expect(['/', '/index.html', '/assets/index-abc.js'].map(routeOf)).toEqual(['console', 'console', 'console']);
  });
});
