import { parse as parseJson } from 'secure-json-parse';
import { DomainError } from '@maas/errors';
import {
  BatchMember,
  batchRows,
  byteSize,
  classifyRequested,
  decodeJsonRequest,
  encodeBinaryResponse,
  encodeJsonResponse,
  InferenceRequest,
  InferenceResponse,
  InvalidTensorError,
  ModelSignature,
  runAsOneBatch,
  shareBatch,
  Tensor,
  validateInputs,
  validateRequestedOutputs,
  wantsBinaryOutput,
} from '@maas/tensor';
import type { EncodedResponse, Execution, JsonAnswer, JsonRequest } from './worker-protocol';

type Execute = (inputs: Tensor[], outputs?: string[]) => Promise<{ outputs: Tensor[]; computeNs: number }>;

interface Checked extends BatchMember {
  index: number;
  request: InferenceRequest;
  rows: number;
  bytesIn: number;
}

/**
 * KServe V2 JSON requests answered from their bytes, in the model host's thread: parsed, decoded and
 * checked against the model's signature, those that can share a batch run as one execution (at most
 * `maxBatchSize` rows), and each answer encoded as its response (JSON, or the binary extension when
 * the request asks for it). Parsing the body's numbers and writing the answer's were the largest
 * costs left on the HTTP thread (12 µs to parse a 64-value FP32 request): here they run beside it.
 */
export async function answerJsonRequests(requests: readonly JsonRequest[], signature: ModelSignature, maxBatchSize: number, execute: Execute): Promise<{ answers: JsonAnswer[]; executions: Execution[] }> {
  const answers = new Array<JsonAnswer>(requests.length);
  const checked: Checked[] = [];
  requests.forEach((request, index) => {
    const decoded = decodeChecked(request, index, signature);
    if ('error' in decoded) answers[index] = decoded;
    else checked.push(decoded);
  });
  const executions: Execution[] = [];
  for (const batch of batchesOf(checked, maxBatchSize)) {
    try {
      const { perMember, execution, rows } = await runAsOneBatch(batch, execute);
      executions.push({ rows, computeNs: execution.computeNs });
      batch.forEach((member, position) => (answers[member.index] = answerOf(requests[member.index], member, perMember[position])));
    } catch (error) {
      for (const member of batch) answers[member.index] = failure(error, member.rows, member.bytesIn);
    }
  }
  return { answers, executions };
}

function decodeChecked(request: JsonRequest, index: number, signature: ModelSignature): Checked | Extract<JsonAnswer, { ok: false }> {
  let decoded: InferenceRequest;
  try {
    decoded = decodeJsonRequest(parseBody(request.body));
  } catch (error) {
    return failure(error, 1, 0);
  }
  const rows = batchRows({ inputs: decoded.inputs });
  const bytesIn = decoded.inputs.reduce((sum, input) => sum + byteSize(input), 0);
  try {
    validateInputs(decoded.inputs, signature);
    validateRequestedOutputs(decoded.outputs, signature);
  } catch (error) {
    return failure(error, rows, bytesIn);
  }
  return { index, request: decoded, inputs: decoded.inputs, outputs: decoded.outputs?.map((output) => output.name), rows, bytesIn };
}

function parseBody(body: Uint8Array): unknown {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return mayNamePrototypeKeys(text) ? parseJson(text, undefined, { protoAction: 'error', constructorAction: 'error' }) : JSON.parse(text);
  } catch (error) {
    // Fastify's parser refuses the same bodies (a `__proto__` or `constructor` key too), naming no reason.
    throw new InvalidTensorError(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Whether the text could hold a `__proto__` or `constructor` key: only if it spells one, plainly or
 * with \u escapes. The rest skip secure-json-parse's two regular-expression scans of the whole body
 * (3 % of a model host's time under batch-1 load), which would find nothing in them.
 */
function mayNamePrototypeKeys(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
}

/** Requests in arrival order, each batch the first left over and the later ones that share its batch, up to `maxBatchSize` rows. */
function batchesOf(checked: readonly Checked[], maxBatchSize: number): Checked[][] {
  if (maxBatchSize <= 1) return checked.map((member) => [member]);
  const batches: Checked[][] = [];
  const taken = new Set<Checked>();
  for (const head of checked) {
    if (taken.has(head)) continue;
    const batch = [head];
    let rows = head.rows;
    taken.add(head);
    for (const candidate of checked) {
      if (taken.has(candidate) || rows + candidate.rows > maxBatchSize || !shareBatch(head, candidate)) continue;
      batch.push(candidate);
      rows += candidate.rows;
      taken.add(candidate);
    }
    batches.push(batch);
  }
  return batches;
}

function answerOf(request: JsonRequest, member: Checked, produced: Tensor[]): JsonAnswer {
  try {
    const outputs = classifyRequested(produced, member.request.outputs);
    const response: InferenceResponse = { model_name: request.modelName, model_version: request.modelVersion, id: member.request.id, parameters: member.request.parameters, outputs };
    const bytesOut = outputs.reduce((sum, output) => sum + byteSize(output), 0);
    return { ok: true, response: encoded(member.request, response), rows: member.rows, bytesIn: member.bytesIn, bytesOut };
  } catch (error) {
    return failure(error, member.rows, member.bytesIn);
  }
}

/** JSON, unless the request asked for some output in binary; then the binary extension's layout. */
function encoded(request: InferenceRequest, response: InferenceResponse): EncodedResponse {
  const isBinary = (name: string) => wantsBinaryOutput(request, name);
  if (!response.outputs.some((output) => isBinary(output.name))) return { binary: false, body: encodeJsonResponse(response) };
  const { chunks, byteLength, headerLength } = encodeBinaryResponse(response, isBinary);
  // A buffer of its own (not a slice of Node's pool): the host transfers it to the main thread.
  const body = new Uint8Array(byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { binary: true, body, headerLength };
}

/** A DomainError keeps its kind and code across the thread; any other error is the runtime's (its first line, as tensor runs report it). */
function failure(error: unknown, rows: number, bytesIn: number): Extract<JsonAnswer, { ok: false }> {
  if (error instanceof DomainError) return { ok: false, rows, bytesIn, error: { kind: error.kind, code: error.code, message: error.message } };
  return { ok: false, rows, bytesIn, error: { message: (error as Error).message.split('\n')[0] } };
}
