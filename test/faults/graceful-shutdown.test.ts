import { describe, expect, inject, it } from 'vitest';
import { mlpOnnx } from '../fixtures/onnx-models';
import { signUp } from '../support/accounts';
import { platformEnvironment } from '../support/fault-platform';
import { httpRequester } from '../support/http-client';
import { infer } from '../support/inference';
import { meteredRequests } from '../support/metered-usage';
import { startPlatformProcess } from '../support/platform-process';
import { countByStatus, startSteadyLoad } from '../support/steady-load';
import { createModel, uploadOnnx } from '../support/uploads';

/** A compute-heavy MLP (512→2048→2048→16, ~21 MB): each request keeps the model's worker busy. */
const HEAVY_MLP = [512, 2048, 2048, 16];

describe('SIGTERM under load (a rolling deploy)', () => {
  it('answers every request sent before the signal with 200, flushes their usage, then exits 0', async () => {
    const platform = await startPlatformProcess(platformEnvironment(inject('databaseUrl')));
    const client = httpRequester(platform.url);
    const account = await signUp(client);
    await createModel(client, account.apiKey, 'heavy');
    expect((await uploadOnnx(client, account.apiKey, 'heavy', mlpOnnx(HEAVY_MLP))).statusCode).toBe(201);
    const body = { inputs: [{ name: 'input', shape: [4, 512], datatype: 'FP32', data: Array.from({ length: 4 * 512 }, (_, i) => (i % 7) / 7) }] };
    expect((await infer(client, account.apiKey, 'heavy', body)).statusCode).toBe(200);

    const load = startSteadyLoad(24, () => infer(client, account.apiKey, 'heavy', body));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const signalledAt = performance.now();
    const exitCode = platform.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcomes = await load.stop();

    const beforeSignal = outcomes.filter((outcome) => outcome.sentAt < signalledAt);
    const afterSignal = outcomes.filter((outcome) => outcome.sentAt >= signalledAt);
    process.stdout.write(`SIGTERM: sent before ${JSON.stringify(countByStatus(beforeSignal))}, after ${JSON.stringify(countByStatus(afterSignal))}\n`);
    expect(beforeSignal.length).toBeGreaterThan(50);
    expect(countByStatus(beforeSignal)).toEqual({ 200: beforeSignal.length });
    expect(await exitCode).toBe(0);
    expect(platform.messages.some((message) => /SIGTERM received: draining/.test(message))).toBe(true);
    // Every answered inference (and the warm-up) was metered before the process exited.
    const answered = outcomes.filter((outcome) => outcome.status === 200).length + 1;
    expect(await meteredRequests(inject('databaseUrl'), account.tenantId)).toBe(answered);
  });
});
