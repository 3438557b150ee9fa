import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';
import { ConfirmButton } from '../components/ConfirmButton';
import { ProgressBar } from '../components/ProgressBar';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { submitFields } from '../form-submit';
import { formatBytes, formatDate } from '../format';
import { uploadFile } from '../upload';
import { useFileUpload } from '../use-file-upload';
import { TryIt } from './TryIt';

/** One model: its versions (signature, runtime, provider), an upload with progress, delete, and "try it". */
export function ModelPage({ name }: { name: string }) {
  const queries = useQueryClient();
  const versions = useQuery({ queryKey: ['versions', name], queryFn: async () => unwrap(await api.GET('/v1/models/{name}/versions', { params: { path: { name } } })) });
  const { upload, progress, chooseFiles } = useFileUpload((files, onProgress) => uploadFile<Schemas['VersionDto']>(`/v1/models/${encodeURIComponent(name)}/versions`, ...uploadBody(files), onProgress), ['versions', name]);
  const remove = useMutation({
    mutationFn: async (version: number) => unwrap(await api.DELETE('/v1/models/{name}/versions/{version}', { params: { path: { name, version: String(version) } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['versions', name] }),
  });
  return (
    <section>
      <h1>{name}</h1>
      <div className="card stack">
        <h2>Upload a version</h2>
        <label>
          Model file: .onnx, a .zip or .tar, or a TF.js model.json with its weight shards (choose them together)
          <input type="file" accept=".onnx,.zip,.tar,.json,.bin" multiple onChange={chooseFiles} disabled={upload.isPending} />
        </label>
        {progress && <ProgressBar label="Upload progress" progress={progress} />}
        {upload.isSuccess && <p role="status">Version {upload.data.version} is ready.</p>}
        <ErrorMessage error={upload.error} />
      </div>
      <QueryState query={versions} isEmpty={(list) => list.length === 0} empty="No versions yet: upload a model file above.">
        {(list) => (
          <>
            <table>
              <caption>Versions</caption>
              <TableHead columns={['Version', 'Runtime', 'Inputs → outputs', 'Size', 'Aliases', 'Created', 'Actions']} />
              <tbody>
                {list.map((version) => (
                  <tr key={version.version}>
                    <td>{version.version}</td>
                    <td>
                      {version.runtime} ({String((version.metadata.runtime as { provider?: string } | undefined)?.provider ?? 'cpu')})
                    </td>
                    <td>
                      <code>{describeSignature(version.signature)}</code>
                    </td>
                    <td>{formatBytes(version.sizeBytes)}</td>
                    <td>{version.aliases.join(', ') || '—'}</td>
                    <td>{formatDate(version.createdAt)}</td>
                    <td>
                      <ConfirmButton question={`Delete version ${version.version} of ${name}?`} onConfirm={() => remove.mutate(version.version)}>
                        Delete
                      </ConfirmButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ErrorMessage error={remove.error} />
            <AliasForm model={name} versions={list.map((version) => version.version)} />
            <TryIt model={name} version={list[list.length - 1]} />
          </>
        )}
      </QueryState>
    </section>
  );
}

/** One ONNX file or archive goes as the raw body; a TF.js model's files (model.json + shards) as one multipart form. */
function uploadBody(files: File[]): [Blob | FormData, Record<string, string>] {
  const [first] = files;
  if (files.length === 1 && !first.name.endsWith('.json')) {
    const archive = first.name.endsWith('.zip') ? 'application/zip' : first.name.endsWith('.tar') ? 'application/x-tar' : undefined;
    return [first, archive ? { 'content-type': archive } : { 'content-type': 'application/octet-stream', 'x-model-format': 'onnx' }];
  }
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return [form, {}];
}

function describeSignature(signature: Schemas['SignatureDto']): string {
  const tensors = (list: Schemas['TensorSpecDto'][]) => list.map((tensor) => `${tensor.name} ${tensor.datatype}[${tensor.shape.join('×')}]`).join(', ');
  return `${tensors(signature.inputs)} → ${tensors(signature.outputs)}`;
}

/** Points an alias (e.g. `production`, which serving follows) at a version; it moves atomically. */
function AliasForm({ model, versions }: { model: string; versions: number[] }) {
  const queries = useQueryClient();
  const move = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.PUT('/v1/models/{name}/aliases/{alias}', { params: { path: { name: model, alias: String(form.get('alias')) } }, body: { version: Number(form.get('version')) } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['versions', model] }),
  });
  const submit = submitFields((fields) => move.mutate(fields));
  return (
    <form className="card row" onSubmit={submit} aria-label="Move an alias">
      <h2>Move an alias</h2>
      <label>
        Alias
        <input name="alias" defaultValue="production" required pattern="[a-z][a-z0-9_-]*" />
      </label>
      <label>
        Version
        <select name="version" defaultValue={versions[versions.length - 1]}>
          {versions.map((version) => (
            <option key={version}>{version}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={move.isPending}>
        Point the alias here
      </button>
      {move.isSuccess && <p role="status">{move.data.alias} → version {move.data.version}</p>}
      <ErrorMessage error={move.error} />
    </form>
  );
}
