import { parentPort, workerData } from 'node:worker_threads';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fromOrtTensor, fromTfTensor, Tensor, toOrtTensor, toTfTensor } from '@maas/tensor';
import { createOnnxSession } from '../onnx/onnx-session';
import { onnxSignature } from '../onnx/onnx-signature';
import { importLazily } from '../lazy-module';
import type { LoadMessage, RunReply, RunRequest, WorkerReady, WorkerSetup } from './worker-protocol';

type Runner = (inputs: Tensor[], outputs?: string[]) => Promise<Tensor[]>;

/**
 * A worker thread that owns one model session. Inference computes here, never on the HTTP event
 * loop (onnxruntime-node's `run` works synchronously on its calling thread). Tensors arrive and
 * leave as transferable buffers.
 */
async function start(setup: WorkerSetup, bytes: Uint8Array): Promise<{ runner: Runner; ready: WorkerReady }> {
  if (setup.format === 'onnx') {
    const { session, provider, cudaUnavailable } = await createOnnxSession(bytes, setup.device, { intraOpNumThreads: setup.threads, interOpNumThreads: 1 });
    const runner: Runner = async (inputs, outputs) => {
      const feeds = Object.fromEntries(inputs.map((input) => [input.name, toOrtTensor(input)]));
      const results = outputs ? await session.run(feeds, outputs) : await session.run(feeds);
      return Object.entries(results).map(([name, value]) => fromOrtTensor(name, value));
    };
    return { runner, ready: { type: 'ready', signature: onnxSignature(session), runtimeInfo: cudaUnavailable ? { provider, cudaUnavailable } : { provider } } };
  }
  // TensorFlow.js is loaded only by workers that serve a TF.js model.
  const { loadTfjsModel, tfjsSignature } = await importLazily<typeof import('../tfjs/tfjs-model.js')>(() => import('../tfjs/tfjs-model.js'), 'loadTfjsModel');
  const { tfjsBackend } = await importLazily<typeof import('../tfjs/tfjs-backend.js')>(() => import('../tfjs/tfjs-backend.js'), 'tfjsBackend');
  const tf = await importLazily<typeof import('@tensorflow/tfjs-core')>(() => import('@tensorflow/tfjs-core'), 'tensor');
  const model = await loadTfjsModel(bytes);
  const signature = tfjsSignature(model);
  return { runner: tfjsRunner(tf, model, signature.inputs.map((input) => input.name), signature.outputs.map((output) => output.name)), ready: { type: 'ready', signature, runtimeInfo: { backend: await tfjsBackend() } } };
}

function tfjsRunner(tf: typeof import('@tensorflow/tfjs-core'), model: LayersModel, inputNames: string[], outputNames: string[]): Runner {
  return async (inputs, outputs) => {
    const byName = new Map(inputs.map((input) => [input.name, input]));
    const tensors = inputNames.map((name) => toTfTensor(byName.get(name)!));
    const predicted = model.predict(tensors.length === 1 ? tensors[0] : tensors);
    const results = (Array.isArray(predicted) ? predicted : [predicted]).map((tensor, index) => fromTfTensor(outputNames[index], tensor));
    tf.dispose([...tensors, ...(Array.isArray(predicted) ? predicted : [predicted])]);
    return outputs ? results.filter((result) => outputs.includes(result.name)) : results;
  };
}

function transferables(tensors: Tensor[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of tensors) if (!Array.isArray(tensor.data) && tensor.data.buffer instanceof ArrayBuffer) buffers.add(tensor.data.buffer);
  return [...buffers];
}

/** Assembles the model from its pieces (see LoadMessage), then serves it. */
function receiveModel(): void {
  let model = Buffer.alloc(0);
  let filled = 0;
  const onLoad = (message: LoadMessage) => {
    if (message.type === 'begin') {
      model = Buffer.allocUnsafe(message.sizeBytes);
    } else if (message.type === 'piece') {
      if (filled + message.bytes.byteLength > model.byteLength) return fail(`the model has more than the ${model.byteLength} bytes announced`);
      model.set(message.bytes, filled);
      filled += message.bytes.byteLength;
    } else {
      parentPort!.off('message', onLoad);
      if (filled !== model.byteLength) return fail(`the model has ${filled} of the ${model.byteLength} bytes announced`);
      serve(model);
    }
  };
  parentPort!.on('message', onLoad);
}

function fail(message: string): void {
  parentPort!.postMessage({ type: 'failed', message } satisfies WorkerReady);
}

receiveModel();

function serve(bytes: Uint8Array): void {
  start(workerData as WorkerSetup, bytes).then(
  ({ runner, ready }) => {
    parentPort!.on('message', (request: RunRequest) => {
      const started = process.hrtime.bigint();
      runner(request.inputs, request.outputs).then(
        (outputs) => parentPort!.postMessage({ id: request.id, ok: true, outputs, computeNs: Number(process.hrtime.bigint() - started) } satisfies RunReply, transferables(outputs)),
        (error: Error) => parentPort!.postMessage({ id: request.id, ok: false, message: error.message.split('\n')[0] } satisfies RunReply),
      );
    });
    parentPort!.postMessage(ready);
  },
  (error: Error) => fail(error.message),
  );
}
