import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WarmChildProcesses } from './warm-child-processes';

/** A child that answers each message with its pid and how long it has been up. */
const entry = join(tmpdir(), `warm-child-${process.pid}.js`);
writeFileSync(entry, "process.on('message', () => process.send({ pid: process.pid, uptimeMs: process.uptime() * 1000 }, () => process.disconnect()));");

async function ask(child: ReturnType<WarmChildProcesses['take']>): Promise<{ pid: number; uptimeMs: number }> {
  child.send('task');
  const [answer] = await once(child, 'message');
  return answer;
}

describe('WarmChildProcesses', () => {
  let processes: WarmChildProcesses;
  afterEach(() => processes.close());

  it('hands out the spare forked ahead of time, then forks afresh until prepared again', async () => {
    processes = new WarmChildProcesses(() => entry, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    processes.prepare();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const warm = processes.take();
    const answer = await ask(warm);
    expect(answer.pid).toBe(warm.pid);
    expect(answer.uptimeMs).toBeGreaterThan(250);
    const cold = processes.take();
    expect(cold.pid).not.toBe(warm.pid);
    expect((await ask(cold)).uptimeMs).toBeLessThan(250);
  });

  it('replaces a spare that died, and kills the spare when closed', async () => {
    processes = new WarmChildProcesses(() => entry, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    processes.prepare();
    const first = processes.take();
    first.kill('SIGKILL');
    await once(first, 'exit');
    processes.prepare();
    processes.prepare();
    const second = processes.take();
    expect(second.pid).not.toBe(first.pid);
    expect((await ask(second)).pid).toBe(second.pid);

    processes.prepare();
    const spare = (processes as unknown as { spare: ReturnType<WarmChildProcesses['take']> }).spare;
    processes.close();
    await once(spare, 'exit');
    processes.prepare();
    expect((processes as unknown as { spare?: unknown }).spare).toBeUndefined();
  });
});
