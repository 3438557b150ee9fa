import { DEPLOYED_ENVIRONMENT } from './deployed-environment';
import { TEST_MASTER_KEY } from './test-module';
import { TEST_PLAN_LIMITS } from './test-plan-limits';
import { startPlatformProcess, type PlatformProcess } from './platform-process';
import { signUp, type SignedUpAccount } from './accounts';
import { httpRequester, type Requester } from './http-client';
import { createModel, uploadOnnx } from './uploads';
import { infer } from './inference';
import { mlpOnnx } from '../fixtures/onnx-models';
import { expect, inject } from 'vitest';

export interface ServingPlatform {
  platform: PlatformProcess;
  client: Requester;
  account: SignedUpAccount;
  /** One batch-1 request to the loaded MLP. */
  inferOnce(): ReturnType<Requester['request']>;
}

/** Process environment for a platform on `databaseUrl`, as `npm start` would start it (glibc arenas capped, see README). */
export function platformEnvironment(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DATABASE_URL: databaseUrl, MAAS_DATA_DIR: inject('dataDir'), MAAS_MASTER_KEY: TEST_MASTER_KEY, PORT: '0', HOST: '127.0.0.1', MAAS_PLAN_LIMITS: TEST_PLAN_LIMITS, ...DEPLOYED_ENVIRONMENT, ...extra };
}

/** A platform process with one tenant whose MLP (8→16→3) is uploaded, loaded and answering. */
export async function startServingPlatform(databaseUrl: string, extra: Record<string, string> = {}): Promise<ServingPlatform> {
  const platform = await startPlatformProcess(platformEnvironment(databaseUrl, extra));
  const client = httpRequester(platform.url);
  const account = await signUp(client, 'Fault Org');
  await createModel(client, account.apiKey, 'mlp');
  const upload = await uploadOnnx(client, account.apiKey, 'mlp', mlpOnnx([8, 16, 3]));
  expect(upload.statusCode, upload.body).toBe(201);
  const body = { inputs: [{ name: 'input', shape: [1, 8], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6, 7, 8] }] };
  const inferOnce = () => infer(client, account.apiKey, 'mlp', body);
  const first = await inferOnce();
  expect(first.statusCode, first.body).toBe(200);
  return { platform, client, account, inferOnce };
}

/** Polls `probe` until it is true; the time it took in ms, or throws after `timeoutMs`. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
