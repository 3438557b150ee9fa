import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { BENCH_CLASSES, BENCH_FEATURES, benchExamples } from '../training-data';

/**
 * The reference a user would write by hand: the same MLP (64→256→256→10, Adam) fitted with a bare
 * `model.fit` on one TF.js backend, in a process of its own. Prints its wall time as JSON.
 * argv: backend (wasm|cpu), rows, epochs, batch size, wasm threads.
 */
async function main(): Promise<void> {
  const [backend, rowsText, epochsText, batchText, threadsText] = process.argv.slice(2);
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (Number(threadsText) > 1) wasm.setThreadsCount(Number(threadsText));
  } else await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend(backend);
  await tf.ready();
  const rows = Number(rowsText);
  const { features, labels } = benchExamples(rows);
  const x = tf.tensor2d(features, [rows, BENCH_FEATURES]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), BENCH_CLASSES);
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [BENCH_FEATURES], units: 256, activation: 'relu' }), tfl.layers.dense({ units: 256, activation: 'relu' }), tfl.layers.dense({ units: BENCH_CLASSES, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const started = performance.now();
  await model.fit(x, y, { epochs: Number(epochsText), batchSize: Number(batchText), validationSplit: 0.2, verbose: 0 });
  const ms = performance.now() - started;
  const trained = Math.floor(rows * 0.8) * Number(epochsText);
  process.stdout.write(`${JSON.stringify({ backend: tf.getBackend(), ms, samplesPerSecond: trained / (ms / 1000) })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
