import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { identityOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { benchApiKey } from '../bench/bench-account';
import { uploadModel } from '../bench/bench-models';
import { openBenchDatabase } from '../bench/bench-database';
import { startBenchServer } from '../bench/bench-server';

/**
 * `npm run compat:triton`: the platform on a scratch database, two models uploaded, then Triton's
 * own Python client (tritonclient.http, unchanged) run against it by triton_client_check.py.
 * Not part of `npm test`: tritonclient comes from PyPI, which this project's CI cannot reach.
 */
async function main(): Promise<void> {
  const mlp = mlpOnnx([8, 16, 3]);
  const input = Array.from({ length: 4 }, (_, row) => Array.from({ length: 8 }, (_, column) => Math.sin(row * 8 + column)));
  const session = await ort.InferenceSession.create(mlp);
  const output = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(input.flat()), [4, 8]) })).output;
  const rows = Array.from({ length: 4 }, (_, row) => Array.from((output.data as Float32Array).subarray(row * 3, row * 3 + 3)));

  const bench = await openBenchDatabase();
  const server = await startBenchServer(bench.database.url);
  const scratch = mkdtempSync(join(tmpdir(), 'maas-compat-'));
  try {
    const key = await benchApiKey(server.url);
    for (const [name, bytes] of [['mlp', mlp], ['identity', identityOnnx('INT64')]] as const) await uploadModel({ url: server.url, headers: { authorization: `Bearer ${key}` } }, name, bytes);
    const expected = join(scratch, 'expected.json');
    writeFileSync(expected, JSON.stringify({ input, output: rows }));
    const check = spawnSync(process.env.PYTHON ?? 'python3', [join(__dirname, '../../../test/compat/triton_client_check.py'), '--url', server.url.replace('http://', ''), '--key', key, '--expected', expected], { stdio: 'inherit' });
    process.exitCode = check.status ?? 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await server.stop();
    await bench.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
