import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import * as ort from 'onnxruntime-node';

interface JsonTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: number[];
}

/**
 * The reference the gateway is measured against: what a user writes by hand to serve one ONNX model
 * from Node — Fastify, onnxruntime-node, one KServe V2 JSON route that decodes the body, runs the
 * session inline and encodes the result. No auth, no logging, no batching. argv: the model's path.
 * Reports its port to the parent over IPC.
 */
async function main(): Promise<void> {
  const session = await ort.InferenceSession.create(readFileSync(process.argv[2]));
  const app = Fastify();
  app.post<{ Params: { model: string }; Body: { inputs: JsonTensor[] } }>('/v2/models/:model/infer', async (request) => {
    const feeds = Object.fromEntries(request.body.inputs.map((input) => [input.name, new ort.Tensor('float32', Float32Array.from(input.data), input.shape)]));
    const results = await session.run(feeds);
    const outputs = Object.entries(results).map(([name, tensor]) => ({ name, datatype: 'FP32', shape: tensor.dims, data: Array.from(tensor.data as Float32Array) }));
    return { model_name: request.params.model, outputs };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ port: (app.server.address() as { port: number }).port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
