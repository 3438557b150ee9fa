import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';
import { ErrorMessage } from '../components/QueryState';
import { imageLayout, imageToTensor } from '../image-tensor';

/** A form generated from the version's signature: one JSON editor per input; outputs, latency and the same call as curl. */
export function TryIt({ model, version }: { model: string; version: Schemas['VersionDto'] }) {
  const inputs = version.signature.inputs;
  const initial = useMemo(() => Object.fromEntries(inputs.map((input) => [input.name, JSON.stringify(sampleTensor(input.shape))])), [inputs]);
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [parseError, setParseError] = useState<string>();
  const body = () => ({ inputs: inputs.map((input) => tensorOf(input, values[input.name] ?? initial[input.name])) });
  const infer = useMutation({
    mutationFn: async () => {
      const started = performance.now();
      const answer = unwrap(await api.POST('/v2/models/{model}/versions/{version}/infer', { params: { path: { model, version: String(version.version) } }, body: body() }));
      return { answer, latencyMs: performance.now() - started };
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      body();
      setParseError(undefined);
      infer.mutate();
    } catch (error) {
      setParseError((error as Error).message);
    }
  };
  let snippets: Record<string, string>;
  try {
    snippets = callSnippets(`${window.location.origin}/v2/models/${model}/versions/${version.version}/infer`, JSON.stringify(body()));
  } catch {
    snippets = { curl: '(fix the inputs to see the call)' };
  }
  return (
    <form className="card stack" onSubmit={submit} aria-label="Try it">
      <h2>Try version {version.version}</h2>
      {inputs.map((input) => {
        const image = imageLayout(input.shape);
        return (
          <div key={input.name} className="stack">
            <label>
              {input.name} ({input.datatype}, shape [{input.shape.join(', ')}]) as a JSON array
              <textarea rows={3} value={values[input.name] ?? initial[input.name]} onChange={(event) => setValues({ ...values, [input.name]: event.target.value })} spellCheck={false} />
            </label>
            {image && (
              <label>
                …or an image ({image.width}×{image.height}, {image.channels === 1 ? 'grey' : 'RGB'}, {image.layout}, scaled to 0–1)
                <input
                  type="file"
                  accept="image/*"
                  onChange={async (event) => {
                    const file = event.target.files?.[0];
                    if (!file) return;
                    try {
                      setValues({ ...values, [input.name]: JSON.stringify(await imageToTensor(file, image)) });
                      setParseError(undefined);
                    } catch {
                      setParseError(`${file.name} is not an image this browser can decode`);
                    }
                  }}
                />
              </label>
            )}
          </div>
        );
      })}
      <button type="submit" disabled={infer.isPending}>
        Run inference
      </button>
      <ErrorMessage error={parseError ?? infer.error} />
      {infer.data && (
        <div role="status" aria-label="Inference result">
          <p>
            Answered in <strong data-testid="latency">{infer.data.latencyMs.toFixed(1)} ms</strong>
          </p>
          {infer.data.answer.outputs.map((output) => (
            <p key={output.name}>
              <code>
                {output.name} [{output.shape.join('×')}]: {JSON.stringify(output.data)}
              </code>
            </p>
          ))}
        </div>
      )}
      {Object.entries(snippets).map(([language, code]) => (
        <details key={language}>
          <summary>The same call with {language}</summary>
          <pre>{code}</pre>
          <button type="button" onClick={() => navigator.clipboard?.writeText(code).catch(() => undefined)}>
            Copy
          </button>
        </details>
      ))}
    </form>
  );
}

/** The call as curl, JavaScript (fetch) and Python (requests), reading the key from MAAS_API_KEY. */
function callSnippets(url: string, body: string): Record<string, string> {
  return {
    curl: `curl -X POST ${url} \\\n  -H "Authorization: Bearer $MAAS_API_KEY" -H "Content-Type: application/json" \\\n  -d '${body}'`,
    JavaScript: `const response = await fetch('${url}', {\n  method: 'POST',\n  headers: { authorization: \`Bearer \${process.env.MAAS_API_KEY}\`, 'content-type': 'application/json' },\n  body: JSON.stringify(${body}),\n});\nconsole.log(await response.json());`,
    Python: `import os, requests\n\nresponse = requests.post(\n    "${url}",\n    headers={"Authorization": f"Bearer {os.environ['MAAS_API_KEY']}"},\n    json=${body.replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False').replace(/\bnull\b/g, 'None')},\n)\nprint(response.json())`,
  };
}

/** Zeros of the input's shape, one row where the batch dimension is free. */
function sampleTensor(shape: number[]): unknown {
  const dims = shape.map((size) => (size < 0 ? 1 : size));
  const build = (depth: number): unknown => (depth === dims.length ? 0 : Array.from({ length: dims[depth] }, () => build(depth + 1)));
  return dims.length === 0 ? 0 : build(0);
}

/** The editor's JSON as a KServe tensor: nested arrays give the shape, values flatten row-major. */
function tensorOf(input: Schemas['TensorSpecDto'], text: string): Schemas['InferTensorDto'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${input.name}: not valid JSON`);
  }
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data = [value].flat(Infinity as 1) as unknown[];
  if (shape.length !== input.shape.length) throw new Error(`${input.name}: expected ${input.shape.length} dimensions, got ${shape.length}`);
  return { name: input.name, shape, datatype: input.datatype, data };
}
