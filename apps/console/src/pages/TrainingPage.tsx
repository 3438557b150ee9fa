import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';
import { ConfirmButton } from '../components/ConfirmButton';
import { ProgressBar } from '../components/ProgressBar';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { submitFields } from '../form-submit';
import { formatBytes, formatDate } from '../format';
import { href } from '../hash-route';
import { uploadFile } from '../upload';
import { useFileUpload } from '../use-file-upload';

/** Training: datasets (upload with progress, list, delete), jobs (list, start from a form). */
export function TrainingPage() {
  const queries = useQueryClient();
  const datasets = useQuery({ queryKey: ['datasets'], queryFn: async () => unwrap(await api.GET('/v1/datasets')) });
  // Jobs change status on their own (the worker): read afresh whenever the page is shown, then every 3 s.
  const jobs = useQuery({ queryKey: ['jobs'], refetchInterval: 3_000, refetchOnMount: 'always', queryFn: async () => unwrap(await api.GET('/v1/training-jobs')) });
  const [datasetName, setDatasetName] = useState('');
  const [labelColumn, setLabelColumn] = useState('label');
  const { upload, progress, chooseFiles } = useFileUpload(([file], onProgress) => {
    const jsonl = /\.(jsonl|ndjson)$/i.test(file.name);
    const name = datasetName || file.name.toLowerCase().replace(/\.[^.]+$/, '').replace(/[^a-z0-9._-]+/g, '-');
    return uploadFile<Schemas['DatasetDto']>(`/v1/datasets?name=${encodeURIComponent(name)}&format=${jsonl ? 'jsonl' : 'csv'}&labelColumn=${encodeURIComponent(labelColumn)}`, file, { 'content-type': jsonl ? 'application/x-ndjson' : 'text/csv' }, onProgress);
  }, ['datasets']);
  const removeDataset = useMutation({
    mutationFn: async (dataset: string) => unwrap(await api.DELETE('/v1/datasets/{dataset}', { params: { path: { dataset } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['datasets'] }),
  });
  return (
    <section>
      <h1>Training</h1>
      <div className="card stack">
        <h2>Upload a dataset</h2>
        <label>
          Dataset name (optional: the file's name otherwise)
          <input value={datasetName} onChange={(event) => setDatasetName(event.target.value)} pattern="[a-z0-9][a-z0-9._-]*" />
        </label>
        <label>
          Label column
          <input value={labelColumn} onChange={(event) => setLabelColumn(event.target.value)} required />
        </label>
        <label>
          CSV or JSON lines file
          <input type="file" accept=".csv,.jsonl,.ndjson" onChange={chooseFiles} disabled={upload.isPending} />
        </label>
        {progress && <ProgressBar label="Dataset upload progress" progress={progress} />}
        {upload.isSuccess && (
          <p role="status">
            Dataset {upload.data.name}: {upload.data.rows} rows.
          </p>
        )}
        <ErrorMessage error={upload.error} />
      </div>
      <QueryState query={datasets} isEmpty={(list) => list.data.length === 0} empty="No datasets yet: upload one above.">
        {(list) => (
          <table>
            <caption>Datasets</caption>
            <TableHead columns={['Name', 'Rows', 'Features', 'Classes', 'Size', 'Actions']} />
            <tbody>
              {list.data.map((dataset) => (
                <tr key={dataset.id}>
                  <td>{dataset.name}</td>
                  <td>{dataset.rows}</td>
                  <td>
                    [{dataset.featureShape.join('×')}] {dataset.featureColumns.length <= 8 ? dataset.featureColumns.join(', ') : ''}
                  </td>
                  <td>{dataset.classes?.join(', ') ?? 'numeric'}</td>
                  <td>{formatBytes(dataset.sizeBytes)}</td>
                  <td>
                    <ConfirmButton question={`Delete dataset ${dataset.name}?`} onConfirm={() => removeDataset.mutate(dataset.name)}>
                      Delete
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorMessage error={removeDataset.error} />
      <QueryState query={datasets}>{(list) => <StartJobForm datasets={list.data} />}</QueryState>
      <QueryState query={jobs} isEmpty={(page) => page.data.length === 0} empty="No training jobs yet.">
        {(page) => (
          <table>
            <caption>Training jobs</caption>
            <TableHead columns={['Job', 'Model', 'Status', 'Progress', 'Created']} />
            <tbody>
              {page.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <a href={href('training', job.id)}>{job.id.slice(0, 8)}</a>
                  </td>
                  <td>{job.model}</td>
                  <td>{job.status}</td>
                  <td>
                    <progress aria-label={`Progress of job ${job.id.slice(0, 8)}`} max={1} value={job.progress} /> epoch {job.epoch}
                  </td>
                  <td>{formatDate(job.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}

/** A new network of dense layers on a dataset: the form covers the usual case; the API takes every option. */
function StartJobForm({ datasets }: { datasets: Schemas['DatasetDto'][] }) {
  const queries = useQueryClient();
  const start = useMutation({
    mutationFn: async (form: FormData) => {
      const units = String(form.get('layers')).split(',').map((part) => Number(part.trim())).filter((value) => value > 0);
      const dataset = datasets.find((candidate) => candidate.name === form.get('dataset'));
      return unwrap(
        await api.POST('/v1/training-jobs', {
          body: {
            model: String(form.get('model')),
            dataset: String(form.get('dataset')),
            task: form.get('task') as 'classification' | 'regression',
            labelColumn: dataset?.labelColumn ?? 'label',
            architecture: { layers: units.map((count) => ({ type: 'dense' as const, units: count, activation: 'relu' as const })) },
            epochs: Number(form.get('epochs')),
            batchSize: Number(form.get('batchSize')),
            learningRate: Number(form.get('learningRate')),
            validationSplit: Number(form.get('validationSplit')),
          },
        }),
      );
    },
    onSuccess: (job) => {
      void queries.invalidateQueries({ queryKey: ['jobs'] });
      window.location.hash = href('training', job.id);
    },
  });
  const submit = submitFields((fields) => start.mutate(fields));
  if (datasets.length === 0) return null;
  return (
    <form className="card row" onSubmit={submit} aria-label="Start a training job">
      <h2>Start a training job</h2>
      <label>
        Model (created if missing)
        <input name="model" required pattern="[a-z0-9][a-z0-9._-]*" />
      </label>
      <label>
        Dataset
        <select name="dataset">
          {datasets.map((dataset) => (
            <option key={dataset.id}>{dataset.name}</option>
          ))}
        </select>
      </label>
      <label>
        Task
        <select name="task">
          <option value="classification">Classification</option>
          <option value="regression">Regression</option>
        </select>
      </label>
      <label>
        Hidden layers (units)
        <input name="layers" defaultValue="16, 16" />
      </label>
      <label>
        Epochs
        <input name="epochs" type="number" min={1} max={1000} defaultValue={10} />
      </label>
      <label>
        Batch size
        <input name="batchSize" type="number" min={1} defaultValue={32} />
      </label>
      <label>
        Learning rate
        <input name="learningRate" type="number" step="any" min={0} defaultValue={0.01} />
      </label>
      <label>
        Validation split
        <input name="validationSplit" type="number" step="0.05" min={0.05} max={0.5} defaultValue={0.2} />
      </label>
      <button type="submit" disabled={start.isPending}>
        Start training
      </button>
      <ErrorMessage error={start.error} />
    </form>
  );
}
