import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ConnectionFaults, type DatabaseConnection } from '@maas/db';
import { NO_API_KEY } from '../../libs/usage/src/usage-rollup';
import { UsageRollupsRepository } from '../../libs/usage/src/usage-rollups.repository';
import { launchChromium } from '../support/browser';
import type { BenchServer } from './bench-server';
import type { BenchmarkReport } from './measure';

const MODELS = 10;
const HOURS = 30 * 24;
const PASSWORD = 'bench-password-42';

/**
 * The console's budgets, measured in Debian's Chromium against a bench platform: the initial
 * JavaScript (gzipped), the log-in page interactive after navigation, and the usage dashboard
 * drawing 30 days of hourly buckets for 10 models (7,200 points) after its data arrived.
 */
export async function benchmarkConsole(server: BenchServer, databaseUrl: string): Promise<BenchmarkReport> {
  const javascriptBytes = await initialJavascriptGzipped(server.url);
  const email = `console-bench-${Date.now()}@example.com`;
  const signup = (await (await fetch(`${server.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, organization: 'Console bench' }) })).json()) as { tenant: { id: string }; apiKey: { key: string } };
  await seedMonthOfUsage(server.url, databaseUrl, signup.tenant.id, signup.apiKey.key);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const started = performance.now();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const interactiveMs = performance.now() - started;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByTestId('month-requests').waitFor();
    await page.evaluate(() => performance.clearMarks());
    await page.getByLabel('Group by').selectOption('model');
    await page.getByLabel('Range').selectOption('30d');
    await page.waitForFunction(() => performance.getEntriesByName('chart drawn: Latency').length > 0, undefined, { timeout: 30_000 });
    const renderMs = await page.evaluate(() => {
      const drawn = performance.getEntriesByName('chart drawn: Requests')[0].startTime;
      const arrived = (performance.getEntriesByType('resource') as unknown as Array<{ name: string; responseEnd: number }>).filter((entry) => entry.name.includes('/v1/usage?') && entry.responseEnd <= drawn).map((entry) => entry.responseEnd);
      return performance.getEntriesByName('chart drawn: Latency')[0].startTime - Math.max(...arrived);
    });
    const points = await page.getByTestId('range-requests').textContent();
    return {
      title: 'Console: budgets in Chromium',
      rows: [
        { measure: 'initial JavaScript, gzipped', value: `${(javascriptBytes / 1024).toFixed(1)} KB` },
        { measure: 'log-in page interactive after navigation (loopback)', value: `${Math.round(interactiveMs)} ms` },
        { measure: `usage dashboard: 3 charts of 30 days × 24 h × ${MODELS} models (${HOURS * MODELS} points) after the data arrived`, value: `${Math.round(renderMs)} ms (${points} requests shown)` },
      ],
      goals: [
        { name: 'initial JavaScript gzipped (KB)', value: javascriptBytes / 1024, target: '≤ 250', met: javascriptBytes / 1024 <= 250 },
        { name: 'first page interactive (ms)', value: interactiveMs, target: '< 1000', met: interactiveMs < 1000 },
        { name: 'dashboard render of 7,200 points (ms)', value: renderMs, target: '< 200', met: renderMs < 200 },
      ],
    };
  } finally {
    await browser.close();
  }
}

/** The script tags of index.html, fetched and gzipped as a server would send them. */
async function initialJavascriptGzipped(url: string): Promise<number> {
  const html = await (await fetch(url)).text();
  let total = 0;
  for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+)"/g)) total += gzipSync(Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer())).length;
  return total;
}

/** One rollup row per model and hour for the last 30 days, written as the flusher would. */
async function seedMonthOfUsage(url: string, databaseUrl: string, tenantId: string, key: string): Promise<void> {
  const models: string[] = [];
  for (let index = 0; index < MODELS; index++) {
    const created = (await (await fetch(`${url}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `model-${index}` }) })).json()) as { id: string };
    models.push(created.id);
  }
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const rows = models.flatMap((modelId, index) =>
    Array.from({ length: HOURS }, (_, age) => {
      const requests = 50 + ((age * 7 + index * 13) % 40);
      return { tenantId, minute: new Date(hour - age * 3_600_000).toISOString(), apiKeyId: NO_API_KEY, modelId, versionNumber: 1, requests, errors: age % 5, clientErrors: age % 5, serverErrors: 0, items: requests, bytesIn: requests * 256, bytesOut: requests * 40, latencyMsSum: requests * 3, trainingSeconds: 0, latencyBuckets: [0, 5, requests - 10, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
    }),
  );
  const repository = new UsageRollupsRepository({ url: databaseUrl } as DatabaseConnection, new ConnectionFaults());
  try {
    await repository.write({ id: `bench:${randomUUID()}`, rows: rows as never, events: 0 });
  } finally {
    await repository.onApplicationShutdown();
  }
}
