/** A platform to call as one tenant: its URL and the headers carrying that tenant's API key. */
export interface BenchClient {
  url: string;
  headers: Record<string, string>;
}

/**
 * Creates the model (if it is new) and uploads one more ONNX version of it through the registry API;
 * `metadata` (serving settings) is set on version 1.
 */
export async function uploadModel(client: BenchClient, name: string, model: Buffer, metadata?: Record<string, unknown>): Promise<void> {
  await fetch(`${client.url}/v1/models`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const upload = await fetch(`${client.url}/v1/models/${name}/versions`, { method: 'POST', headers: { ...client.headers, 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' }, body: model });
  if (upload.status !== 201) throw new Error(`upload of ${name} failed: ${upload.status} ${await upload.text()}`);
  if (metadata) await fetch(`${client.url}/v1/models/${name}/versions/1`, { method: 'PATCH', headers: { ...client.headers, 'content-type': 'application/json' }, body: JSON.stringify({ metadata }) });
}
