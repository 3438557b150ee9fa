import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILT = join(__dirname, '../../../../dist/libs/service/src/lifecycle/process-faults.js');

describe('keepRunningOnUncaughtErrors', () => {
  it('logs an uncaught exception and an unhandled rejection with a reference, and the process goes on', () => {
    const script = `
      const { Logger } = require('@nestjs/common');
      require(${JSON.stringify(BUILT)}).keepRunningOnUncaughtErrors(new Logger('test'));
      setTimeout(() => { throw new Error('thrown from a timer'); }, 10);
      Promise.reject(new Error('rejected, nobody listening'));
      setTimeout(() => process.stdout.write('still running\\n'), 100);
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: join(__dirname, '../../../..') });
    expect(result.status).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('still running');
    expect(output).toMatch(/uncaught exception \(reference [0-9a-f-]{36}\): Error: thrown from a timer/);
    expect(output).toMatch(/unhandled promise rejection \(reference [0-9a-f-]{36}\): Error: rejected, nobody listening/);
  });
});
