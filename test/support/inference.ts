import * as ort from 'onnxruntime-node';
import { bearer } from './accounts';
import type { Requester } from './http-client';

export function infer(app: Requester, key: string, model: string, body: unknown, version?: string) {
  const path = version ? `/v2/models/${model}/versions/${version}/infer` : `/v2/models/${model}/infer`;
  return app.request({ method: 'POST', url: path, headers: { ...bearer(key), 'content-type': 'application/json' }, payload: body });
}

/** The reference: the same model run directly with onnxruntime-node in the test process. */
export async function runDirectly(model: Buffer, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}
