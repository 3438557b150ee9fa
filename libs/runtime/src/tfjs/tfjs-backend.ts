import * as tf from '@tensorflow/tfjs-core';
// Some layers call chained tensor ops internally (the LSTM's orthogonal initializer: rMat.flatten()),
// which the @tensorflow/tfjs bundle registers and tfjs-core alone does not (its own registration
// module is ESM-only, which a CommonJS build cannot require).
import '@tensorflow/tfjs';

export type TfjsBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

let selected: Promise<TfjsBackendName> | undefined;

/**
 * Chooses the TensorFlow.js backend once per process, before any tensor exists (tensors made on
 * one backend read as garbage after switching): tfjs-node-gpu, tfjs-node, wasm, then cpu — the
 * first that loads (callers report which). The native ones are optional dependencies that
 * install only with internet.
 */
export function tfjsBackend(options: { exclude?: TfjsBackendName[] } = {}): Promise<TfjsBackendName> {
  // Only the first call chooses: a process has one backend for its whole life.
  selected ??= select(options.exclude ?? []);
  return selected;
}

/**
 * Imports every backend module that loads here, choosing none (the choice waits for the task: conv
 * layers cannot train on wasm), so that a spare training process has them ready.
 */
export async function loadTfjsBackends(): Promise<void> {
  await Promise.all(CANDIDATES.map(([, load]) => load().catch(() => undefined)));
}

async function select(exclude: TfjsBackendName[]): Promise<TfjsBackendName> {
  for (const [name, load] of CANDIDATES) {
    if (exclude.includes(name)) continue;
    try {
      await load();
      if (await tf.setBackend(name === 'tensorflow-gpu' ? 'tensorflow' : name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // Not installed or not loadable here: try the next one.
    }
  }
  throw new Error('no TensorFlow.js backend could be loaded');
}

const CANDIDATES: Array<[TfjsBackendName, () => Promise<unknown>]> = [
  ['tensorflow-gpu', () => import('@tensorflow/tfjs-node-gpu' as string)],
  ['tensorflow', () => import('@tensorflow/tfjs-node' as string)],
  ['wasm', () => import('@tensorflow/tfjs-backend-wasm')],
  ['cpu', () => import('@tensorflow/tfjs-backend-cpu')],
];
