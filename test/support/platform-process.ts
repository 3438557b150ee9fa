import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PLATFORM_MAIN = join(__dirname, '../../dist/apps/platform/src/main.js');

export interface PlatformProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log message (`msg`) the process wrote so far. */
  messages: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The built all-in-one platform as a real process, as `npm start` runs it. */
export function platformMainPath(): string {
  if (!existsSync(PLATFORM_MAIN)) throw new Error(`${PLATFORM_MAIN} is missing: run \`npm run build\` (npm test does)`);
  return PLATFORM_MAIN;
}

export async function startPlatformProcess(environment: Record<string, string>, timeoutMs = 60_000): Promise<PlatformProcess> {
  const child = spawn(process.execPath, [platformMainPath()], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start within ${timeoutMs} ms:\n${messages.join('\n')}`)), timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseMessage(line);
        messages.push(message);
        const match = /listening on (http:\/\/\S+)/.exec(message);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => messages.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code} before listening:\n${messages.join('\n')}`));
    });
  });
  return {
    child,
    url,
    messages,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

function parseMessage(line: string): string {
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
  } catch {
    return line;
  }
}
