import { describe, expect, it } from 'vitest';
import { identityOnnx, mlpOnnx } from '../../../../test/fixtures/onnx-models';
import { denseTfjsModel } from '../../../../test/fixtures/tfjs-models';
import { InvalidModelError } from '../runtime-errors';
import { encodeTfjsBundle, partsFromModelFiles } from '../tfjs/tfjs-bundle';
import { ChildProcessInspection } from './inspect-in-child-process';
import { inspectModel } from './inspect-model';

describe('inspectModel', () => {
  it('reads an ONNX signature, dynamic dimensions as -1, on the CPU provider when CUDA is absent', async () => {
    const inspection = await inspectModel('onnx', mlpOnnx([8, 16, 3]), 'auto');
    expect(inspection.signature).toEqual({
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 8] }],
      outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 3] }],
    });
    expect(inspection.runtimeInfo).toMatchObject({ provider: 'cpu' });
    expect(typeof inspection.runtimeInfo.cudaUnavailable).toBe('string');
  });

  it.each(['INT64', 'UINT8', 'BOOL', 'FP16', 'FP64', 'BYTES'])('maps ONNX %s to its KServe datatype', async (datatype) => {
    const inspection = await inspectModel('onnx', identityOnnx(datatype), 'cpu');
    expect(inspection.signature.inputs[0]).toEqual({ name: 'input', datatype, shape: [-1, 4] });
  });

  it('refuses bytes that are not ONNX before parsing, and says so', async () => {
    await expect(inspectModel('onnx', Buffer.from('PK\u0003\u0004 this is a zip, not a model'), 'cpu')).rejects.toThrow('the upload is not an ONNX model');
    const truncated = mlpOnnx([8, 4]).subarray(0, 60);
    await expect(inspectModel('onnx', truncated, 'cpu')).rejects.toThrow(InvalidModelError);
  });

  it('reads a TensorFlow.js layers model from its bundle', async () => {
    const saved = await denseTfjsModel(4, 3);
    const bundle = encodeTfjsBundle(partsFromModelFiles(new Map([['model.json', saved.modelJson], ...saved.shards])));
    const inspection = await inspectModel('tfjs', bundle, 'auto');
    expect(inspection.signature.inputs).toEqual([{ name: expect.any(String), datatype: 'FP32', shape: [-1, 4] }]);
    expect(inspection.signature.outputs).toEqual([{ name: expect.any(String), datatype: 'FP32', shape: [-1, 3] }]);
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(inspection.runtimeInfo.backend);
  });

  it('gives a TensorFlow.js model the same signature however many models its thread loaded before', async () => {
    // A model host holds many sessions per thread; TF.js numbers repeated tensor names per process.
    const saved = await denseTfjsModel(4, 3);
    const bundle = encodeTfjsBundle(partsFromModelFiles(new Map([['model.json', saved.modelJson], ...saved.shards])));
    const first = await inspectModel('tfjs', bundle, 'auto');
    const again = await inspectModel('tfjs', bundle, 'auto');
    expect(again.signature).toEqual(first.signature);
    expect(first.signature.inputs[0].name).not.toMatch(/_\d+$/);
  });

  it('names the weight file a TensorFlow.js upload is missing', async () => {
    const saved = await denseTfjsModel();
    expect(() => partsFromModelFiles(new Map([['model.json', saved.modelJson]]))).toThrow('weight file "group1-shard1of2.bin" listed in model.json was not uploaded');
    expect(() => partsFromModelFiles(new Map([['weights.bin', Buffer.alloc(4)]]))).toThrow('a TensorFlow.js upload needs a model.json');
  });
});

describe('ChildProcessInspection', () => {
  it('validates a model streamed into a child process', async () => {
    const inspection = new ChildProcessInspection('onnx', 'cpu');
    const bytes = mlpOnnx([8, 4]);
    for (let offset = 0; offset < bytes.length; offset += 100) await inspection.write(bytes.subarray(offset, offset + 100));
    expect((await inspection.finish()).signature.inputs[0].name).toBe('input');
  });

  it('reports an invalid model as such', async () => {
    const inspection = new ChildProcessInspection('onnx', 'cpu');
    await inspection.write(Buffer.from('not a model at all, clearly'));
    await expect(inspection.finish()).rejects.toThrow(InvalidModelError);
  });

  it('can be aborted mid-stream', async () => {
    const inspection = new ChildProcessInspection('onnx', 'cpu');
    await inspection.write(Buffer.alloc(10, 8));
    inspection.abort();
    await expect(inspection.finish()).rejects.toThrow('the runtime crashed while loading the model (SIGKILL)');
  });
});
