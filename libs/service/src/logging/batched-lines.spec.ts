import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchedLines } from './batched-lines';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** pino writing through BatchedLines to a real file, as the root logger writes to stdout. */
function fileLogger() {
  const folder = mkdtempSync(join(tmpdir(), 'batched-lines-'));
  folders.push(folder);
  const path = join(folder, 'log');
  const lines = new BatchedLines(pino.destination({ dest: openSync(path, 'w'), sync: true, minLength: 0 }));
  const written = () => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).msg as string);
  return { logger: pino({}, lines), lines, written };
}

describe('BatchedLines', () => {
  it('holds lines until ~16 KiB have gathered, then writes them in one go, in order', () => {
    const { logger, written } = fileLogger();
    logger.info('first');
    logger.info('second');
    expect(written()).toEqual([]);
    for (let i = 0; i < 200; i++) logger.info(`line ${i} ${'x'.repeat(100)}`);
    const flushed = written();
    expect(flushed.slice(0, 2)).toEqual(['first', 'second']);
    expect(flushed.length).toBeGreaterThan(100);
    expect(flushed.length).toBeLessThan(202);
  });

  it('writes what it holds on flush and at exit (flushSync), and nothing twice', () => {
    const { logger, lines, written } = fileLogger();
    logger.info('a');
    lines.flush();
    expect(written()).toEqual(['a']);
    logger.info('b');
    lines.flushSync();
    lines.flush();
    expect(written()).toEqual(['a', 'b']);
  });
});
