import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { platformEnvironment } from '../support/fault-platform';
import { startPlatformProcess } from '../support/platform-process';

/** The README's quickstart, run as a newcomer would paste it, against a real platform process. */
describe('the README quickstart', () => {
  it('runs from sign-up to usage', async () => {
    const readme = await readFile(join(__dirname, '../../README.md'), 'utf8');
    const script = /<!-- quickstart -->\s*```sh\n([\s\S]*?)```\s*<!-- \/quickstart -->/.exec(readme)?.[1];
    expect(script, 'README.md has a quickstart block').toBeDefined();
    const platform = await startPlatformProcess(platformEnvironment(inject('databaseUrl')));
    try {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script!], { cwd: await mkdtemp(join(tmpdir(), 'maas-quickstart-')), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BASE: platform.url }, encoding: 'utf8', timeout: 120_000 });
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      const lines = result.stdout.trim().split("\n");
      const inference = JSON.parse(lines.find((line) => line.startsWith('{"model_name"'))!);
      expect(inference.outputs[0].data).toHaveLength(2);
      expect(inference.outputs[0].data[0]).toBeGreaterThan(inference.outputs[0].data[1]);
      // The trained version's pipeline names the class.
      expect(lines).toContain('above');
      const usage = JSON.parse(lines.find((line) => line.startsWith('{"object":"page"'))!);
      expect(usage.data.flatMap((bucket: { results: Array<{ model: string; requests: number }> }) => bucket.results)).toContainEqual(expect.objectContaining({ model: 'my-model', requests: 1 }));
      const summary = JSON.parse(lines[lines.length - 1]);
      expect(summary.requests).toBe(2);
      expect(summary.training_seconds).toBeGreaterThan(0);
    } finally {
      await platform.stop();
    }
  });
});
