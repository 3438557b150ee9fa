import { useMemo } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { TimeSeriesChart, type Series } from '../components/TimeSeriesChart';
import { formatDate } from '../format';
import { href } from '../hash-route';
import { useJobEvents } from '../job-events';

/** One training job: status and progress, a live loss curve fed by its event stream, events, checkpoints, cancel. */
export function JobPage({ id }: { id: string }) {
  const queries = useQueryClient();
  const { events, ended, error } = useJobEvents(id);
  // When the event stream ends the job is fetched again (its final state); the page keeps showing the
  // last one meanwhile instead of "Loading…".
  const job = useQuery({ queryKey: ['job', id, ended], placeholderData: keepPreviousData, refetchInterval: (query) => (['queued', 'running'].includes(query.state.data?.status ?? 'queued') ? 2_000 : false), queryFn: async () => unwrap(await api.GET('/v1/training-jobs/{id}', { params: { path: { id } } })) });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await api.POST('/v1/training-jobs/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['job', id] }),
  });
  const promote = useMutation({ mutationFn: async (epoch: number) => unwrap(await api.POST('/v1/training-jobs/{id}/checkpoints/{epoch}/promote', { params: { path: { id, epoch } } })) });
  const curve = useMemo(() => {
    const epochs = events.filter((event) => event.type === 'metrics').map((event) => event.data as { epoch: number; loss: number; val_loss?: number });
    const series: Series[] = [{ label: 'loss', values: epochs.map((metrics) => metrics.loss) }];
    if (epochs.some((metrics) => metrics.val_loss !== undefined)) series.push({ label: 'val_loss', values: epochs.map((metrics) => metrics.val_loss ?? null) });
    return { epochs: epochs.map((metrics) => metrics.epoch), series };
  }, [events]);
  // A checkpoint is saved with each epoch's metrics: fetched again when a new epoch arrives.
  const checkpoints = useQuery({ queryKey: ['checkpoints', id, curve.epochs.length], queryFn: async () => unwrap(await api.GET('/v1/training-jobs/{id}/checkpoints', { params: { path: { id } } })) });
  return (
    <section>
      <p>
        <a href={href('training')}>← Training</a>
      </p>
      <h1>Training job {id.slice(0, 8)}</h1>
      <QueryState query={job}>
        {(current) => (
          <div className="card stack">
            <p>
              <strong data-testid="job-status">{current.status}</strong> · model {current.model} · dataset {current.dataset} · {current.backend ?? 'backend not chosen yet'} · attempt {current.attempts}
            </p>
            <progress aria-label="Training progress" max={1} value={current.progress} />
            <p>
              Epoch {current.epoch} of {String(current.hyperparameters.epochs)} · started {formatDate(current.startedAt)} · finished {formatDate(current.finishedAt)}
            </p>
            {current.resultVersion !== null && (
              <p>
                Result: <a href={href('models', current.model)}>version {current.resultVersion} of {current.model}</a>
              </p>
            )}
            {current.error && <p className="error">{current.error}</p>}
            {['queued', 'running'].includes(current.status) && (
              <ConfirmButton question="Cancel this job? It stops between batches; no version is made." onConfirm={() => cancel.mutate()}>
                Cancel job
              </ConfirmButton>
            )}
            <ErrorMessage error={cancel.error} />
          </div>
        )}
      </QueryState>
      {curve.epochs.length > 0 && <TimeSeriesChart title="Loss per epoch" times={curve.epochs} series={curve.series} xLabel="epoch" />}
      <ErrorMessage error={error} />
      <QueryState query={checkpoints} isEmpty={(list) => list.length === 0} empty="No checkpoints yet (one after each epoch).">
        {(list) => (
          <table>
            <caption>Checkpoints</caption>
            <TableHead columns={['Epoch', 'Loss', 'Saved', 'Actions']} />
            <tbody>
              {list.map((checkpoint) => (
                <tr key={checkpoint.epoch}>
                  <td>{checkpoint.epoch}</td>
                  <td>{checkpoint.metrics.loss.toFixed(4)}</td>
                  <td>{formatDate(checkpoint.createdAt)}</td>
                  <td>
                    <button onClick={() => promote.mutate(checkpoint.epoch)}>Make it a version</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      {promote.data && <p role="status">Checkpoint of epoch {promote.data.epoch} is version {promote.data.version} of {promote.data.model}.</p>}
      <ErrorMessage error={promote.error} />
      <h2>Events</h2>
      <ol className="events" aria-label="Job events" aria-live="polite">
        {events.map((event) => (
          <li key={event.id} className={event.level}>
            <time>{new Date(event.createdAt).toLocaleTimeString()}</time> {event.message}
          </li>
        ))}
      </ol>
      {ended && <p className="muted">The job has ended; every event is shown.</p>}
    </section>
  );
}
