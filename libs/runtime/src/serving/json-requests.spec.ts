import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromOrtTensor, Tensor, toOrtTensor } from '@maas/tensor';
import { mlpOnnx } from '../../../../test/fixtures/onnx-models';
import { createOnnxSession, OnnxSession } from '../onnx/onnx-session';
import { onnxSignature } from '../onnx/onnx-signature';
import { answerJsonRequests } from './json-requests';
import type { JsonAnswer, JsonRequest } from './worker-protocol';

let onnx: OnnxSession;
const executions: number[] = [];

/** The real session's run, recording the rows of each execution. */
async function execute(inputs: Tensor[], outputs?: string[]) {
  executions.push(inputs[0].shape[0]);
  const feeds = Object.fromEntries(inputs.map((input) => [input.name, toOrtTensor(input)]));
  const results = outputs ? await onnx.session.run(feeds, outputs) : await onnx.session.run(feeds);
  return { outputs: Object.entries(results).map(([name, value]) => fromOrtTensor(name, value)), computeNs: 1 };
}

const rows = (...values: number[][]) => ({ inputs: [{ name: 'input', datatype: 'FP32', shape: [values.length, 4], data: values.flat() }] });
const request = (body: unknown, id?: string): JsonRequest => ({ body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(id ? { id, ...(body as object) } : body)), modelName: 'mlp', modelVersion: '3' });
const answerBody = (answer: JsonAnswer) => {
  if (!answer.ok || answer.response.binary) throw new Error(`expected a JSON answer, got ${JSON.stringify(answer)}`);
  return JSON.parse(answer.response.body) as { model_name: string; model_version: string; id?: string; outputs: Array<{ name: string; shape: number[]; data: number[] }> };
};

beforeAll(async () => {
  onnx = await createOnnxSession(mlpOnnx([4, 8, 2]), 'cpu', { intraOpNumThreads: 1 });
});
afterAll(() => onnx.session.release());

describe('answerJsonRequests (KServe V2 JSON decoded in the model host)', () => {
  it('runs the requests that share a batch as one execution, each answer equal to its own run', async () => {
    const signature = onnxSignature(onnx.session);
    const alone = await Promise.all([[1, 2, 3, 4], [5, 6, 7, 8]].map(async (row) => (await answerJsonRequests([request(rows(row))], signature, 64, execute)).answers[0]));
    executions.length = 0;
    const { answers, executions: reported } = await answerJsonRequests([request(rows([1, 2, 3, 4]), 'a'), request(rows([5, 6, 7, 8]), 'b')], signature, 64, execute);
    expect(executions).toEqual([2]);
    expect(reported).toEqual([{ rows: 2, computeNs: 1 }]);
    expect(answers.map((answer) => answerBody(answer).outputs)).toEqual(alone.map((answer) => answerBody(answer).outputs));
    expect(answers.map((answer) => answerBody(answer))).toMatchObject([{ model_name: 'mlp', model_version: '3', id: 'a' }, { id: 'b' }]);
    expect(answers.map((answer) => [answer.rows, answer.bytesIn])).toEqual([[1, 16], [1, 16]]);
  });

  it('splits batches at maxBatchSize rows and runs alone a request whose outputs differ', async () => {
    const signature = onnxSignature(onnx.session);
    executions.length = 0;
    const named = { ...rows([1, 1, 1, 1]), outputs: [{ name: 'output' }] };
    await answerJsonRequests([request(rows([1, 2, 3, 4], [1, 2, 3, 4])), request(rows([1, 2, 3, 4], [1, 2, 3, 4])), request(named), request(rows([0, 0, 0, 0]))], signature, 3, execute);
    expect(executions).toEqual([3, 2, 1]);
  });

  it('answers each broken request with its own error while the rest of the batch is served', async () => {
    const signature = onnxSignature(onnx.session);
    const { answers } = await answerJsonRequests(
      [request('{"inputs": ['), request({ inputs: [{ name: 'nope', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }), request(rows([1, 2, 3])), request('{"__proto__": {"x": 1}, "inputs": []}'), request(rows([1, 2, 3, 4]))],
      signature,
      64,
      execute,
    );
    const errors = answers.slice(0, 4).map((answer) => (answer.ok ? 'served' : `${answer.error.kind} ${answer.error.code}: ${answer.error.message}`));
    expect(errors[0]).toMatch(/^invalid INVALID_TENSOR: the request body is not valid JSON/);
    expect(errors[1]).toBe('invalid INVALID_TENSOR: unexpected input "nope": the model\'s inputs are "input"');
    expect(errors[2]).toMatch(/^invalid INVALID_TENSOR: input "input"/);
    expect(errors[3]).toMatch(/^invalid INVALID_TENSOR: the request body is not valid JSON: .*prototype/);
    expect(answerBody(answers[4]).outputs[0].shape).toEqual([1, 2]);
  });

  it('refuses prototype keys however they are spelt, and reads other escapes as JSON does', async () => {
    const signature = onnxSignature(onnx.session);
    const texts = ['{"\\u005f_proto__": {"x": 1}, "inputs": []}', '{"constructor": {"prototype": {}}, "inputs": []}', `{"id": "caf\\u00e9", ${JSON.stringify(rows([1, 2, 3, 4])).slice(1)}`];
    const { answers } = await answerJsonRequests(texts.map((text) => request(text)), signature, 64, execute);
    expect(answers.slice(0, 2).map((answer) => (answer.ok ? 'served' : answer.error.message))).toEqual([expect.stringMatching(/not valid JSON: .*prototype/), expect.stringMatching(/not valid JSON: .*prototype/)]);
    expect(answerBody(answers[2]).id).toBe('café');
  });

  it('encodes the binary extension when the request asks for binary outputs', async () => {
    const signature = onnxSignature(onnx.session);
    const { answers } = await answerJsonRequests([request({ ...rows([1, 2, 3, 4]), parameters: { binary_data_output: true } })], signature, 64, execute);
    const [answer] = answers;
    if (!answer.ok || !answer.response.binary) throw new Error('expected a binary answer');
    const { headerLength, body } = answer.response;
    expect(body.byteOffset === 0 && body.byteLength === body.buffer.byteLength).toBe(true);
    const header = JSON.parse(Buffer.from(body.subarray(0, headerLength)).toString()) as { outputs: Array<{ parameters: { binary_data_size: number } }> };
    expect(header.outputs[0].parameters.binary_data_size).toBe(8);
    expect(body.byteLength).toBe(headerLength + 8);
  });
});
