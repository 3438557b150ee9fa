import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, apiError, sessionHeaders, unwrap, type Schemas } from '../api/client';
import { ErrorMessage, QueryState } from '../components/QueryState';
import { TableHead } from '../components/TableHead';
import { TimeSeriesChart, type Series } from '../components/TimeSeriesChart';
import { formatNumber } from '../format';

const RANGES = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, custom: 0 } as const;
type Range = keyof typeof RANGES;
type Width = '1m' | '1h' | '1d';
type GroupBy = '' | 'model' | 'api_key' | 'status';
const DEFAULT_WIDTH: Record<Range, Width> = { '1h': '1m', '24h': '1h', '7d': '1h', '30d': '1d', custom: '1h' };

/** Usage: requests and errors over time, latency percentiles, top models, the month's quota and cost; CSV export; auto-refresh. */
export function UsagePage() {
  const [range, setRange] = useState<Range>('24h');
  const [width, setWidth] = useState<Width>('1h');
  const [groupBy, setGroupBy] = useState<GroupBy>('');
  const [autoRefresh, setAutoRefresh] = useState(true);
  const refetchInterval = autoRefresh ? 10_000 : false;
  const [custom, setCustom] = useState({ from: localInput(Date.now() - 86_400_000), to: localInput(Date.now()) });
  const window = useMemo(() => (range === 'custom' ? customWindow(custom.from, custom.to, width) : timeWindow(range, width)), [range, width, custom]);
  const query: UsageQuery = { start_time: window.start, end_time: window.end, bucket_width: width, ...(groupBy ? { group_by: groupBy } : {}) };
  const usage = useQuery({ queryKey: ['usage', query], refetchInterval, queryFn: () => usagePages(query) });
  const byModel = useQuery({ queryKey: ['usage-models', window, width], refetchInterval, queryFn: () => usagePages({ ...query, group_by: 'model' }) });
  const byKey = useQuery({ queryKey: ['usage-keys', window, width], refetchInterval, queryFn: () => usagePages({ ...query, group_by: 'api_key' }) });
  const keys = useQuery({ queryKey: ['keys'], queryFn: async () => unwrap(await api.GET('/v1/keys')) });
  const keyName = (id: string | null | undefined) => (id ? (keys.data?.find((key) => key.id === id)?.name ?? id.slice(0, 8)) : '(console session)');
  const summary = useQuery({ queryKey: ['usage-summary'], refetchInterval, queryFn: async () => unwrap(await api.GET('/v1/usage/summary')) });
  const [exportError, setExportError] = useState<unknown>();
  return (
    <section>
      <h1>Usage</h1>
      <div className="row card" role="group" aria-label="Usage filters">
        <label>
          Range
          <select value={range} onChange={(event) => (setRange(event.target.value as Range), setWidth(DEFAULT_WIDTH[event.target.value as Range]))}>
            <option value="1h">Last hour</option>
            <option value="24h">Last day</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="custom">Custom</option>
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label>
              From
              <input type="datetime-local" value={custom.from} onChange={(event) => setCustom({ ...custom, from: event.target.value })} />
            </label>
            <label>
              To
              <input type="datetime-local" value={custom.to} onChange={(event) => setCustom({ ...custom, to: event.target.value })} />
            </label>
          </>
        )}
        <label>
          Granularity
          <select value={width} onChange={(event) => setWidth(event.target.value as Width)}>
            <option value="1m">Minute</option>
            <option value="1h">Hour</option>
            <option value="1d">Day</option>
          </select>
        </label>
        <label>
          Group by
          <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as GroupBy)}>
            <option value="">Nothing</option>
            <option value="model">Model</option>
            <option value="api_key">API key</option>
            <option value="status">Status</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={autoRefresh} onChange={(event) => setAutoRefresh(event.target.checked)} /> Refresh every 10 s
        </label>
        <button onClick={() => exportCsv(new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]))).catch(setExportError)}>Export CSV</button>
      </div>
      <ErrorMessage error={exportError} />
      <QueryState query={summary}>{(month) => <MonthSummary month={month} />}</QueryState>
      <QueryState query={usage} isEmpty={(page) => page.data.every((bucket) => bucket.results.length === 0)} empty="No requests in this range yet.">
        {(page) => <UsageCharts page={page} groupBy={groupBy} />}
      </QueryState>
      <div className="cards">
        <QueryState query={byModel}>{(page) => <TopTable page={page} title="Top models in this range" column="Model" nameOf={(result) => result.model ?? '(training)'} />}</QueryState>
        <QueryState query={byKey}>{(page) => <TopTable page={page} title="Top API keys in this range" column="Key" nameOf={(result) => keyName(result.api_key_id)} />}</QueryState>
      </div>
    </section>
  );
}

type UsageQuery = { start_time: number; end_time: number; bucket_width: Width; group_by?: string };

/** Every page of buckets in the range (the API answers at most 1,440 minutes, 168 hours or 31 days a page). */
async function usagePages(query: UsageQuery): Promise<Schemas['UsagePageDto']> {
  const data: Schemas['UsageBucketDto'][] = [];
  for (let start: number | null = query.start_time; start !== null && start < query.end_time; ) {
    const page: Schemas['UsagePageDto'] = unwrap(await api.GET('/v1/usage', { params: { query: { ...query, start_time: start } as never } }));
    data.push(...page.data);
    start = page.has_more ? page.next_page : null;
  }
  return { object: 'page', data, has_more: false, next_page: null };
}

/** A `datetime-local` input's value for a time: local, to the minute. */
function localInput(time: number): string {
  const date = new Date(time - new Date(time).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

function customWindow(from: string, to: string, width: Width) {
  const step = { '1m': 60, '1h': 3600, '1d': 86_400 }[width];
  const start = Math.floor(new Date(from).getTime() / 1000 / step) * step;
  const end = Math.max(start + step, Math.ceil(new Date(to).getTime() / 1000 / step) * step);
  return { start, end: width === '1m' ? Math.min(end, start + 1440 * 60) : end };
}

function timeWindow(range: Exclude<Range, 'custom'>, width: Width) {
  const step = { '1m': 60, '1h': 3600, '1d': 86_400 }[width];
  const end = Math.ceil(Date.now() / 1000 / step) * step;
  // At most a day of minutes: a month of them would be 43,200 buckets for nobody to read.
  const buckets = Math.min(width === '1m' ? 1440 : Infinity, Math.ceil(RANGES[range] / step));
  return { start: end - buckets * step, end };
}

function MonthSummary({ month }: { month: Schemas['UsageSummaryDto'] }) {
  const used = month.quota.monthly_requests - month.quota.remaining;
  return (
    <div className="cards">
      <div className="card">
        <h2>This month</h2>
        <p className="big" data-testid="month-requests">
          {formatNumber(month.requests)}
        </p>
        <p>requests · {formatNumber(month.errors)} errors · {formatNumber(month.items)} items</p>
      </div>
      <div className="card">
        <h2>Quota</h2>
        <meter aria-label="Monthly quota used" min={0} max={month.quota.monthly_requests} value={used} high={month.quota.monthly_requests * 0.9} />
        <p>
          {formatNumber(used)} of {formatNumber(month.quota.monthly_requests)} requests
        </p>
      </div>
      <div className="card">
        <h2>Estimated cost</h2>
        <p className="big">
          {month.estimated_cost.total.toFixed(2)} {month.estimated_cost.currency}
        </p>
        <p>{formatNumber(month.training_seconds)} training seconds</p>
      </div>
    </div>
  );
}

function labelOf(result: Schemas['UsageResultDto'], groupBy: GroupBy): string {
  if (groupBy === 'model') return result.model ?? '(training)';
  if (groupBy === 'api_key') return result.api_key_id?.slice(0, 8) ?? '(session)';
  if (groupBy === 'status') return result.status ?? 'all';
  return 'requests';
}

function UsageCharts({ page, groupBy }: { page: Schemas['UsagePageDto']; groupBy: GroupBy }) {
  const charts = useMemo(() => {
    const times = page.data.map((bucket) => bucket.start_time);
    const labels = [...new Set(page.data.flatMap((bucket) => bucket.results.map((result) => labelOf(result, groupBy))))];
    const requests: Series[] = labels.map((label) => ({ label, values: page.data.map((bucket) => bucket.results.filter((result) => labelOf(result, groupBy) === label).reduce((sum, result) => sum + result.requests, 0)) }));
    const errors: Series[] = [{ label: 'errors', values: page.data.map((bucket) => bucket.results.reduce((sum, result) => sum + result.errors, 0)) }];
    const latency: Series[] = (['p50', 'p95', 'p99'] as const).map((percentile) => ({ label: percentile, values: page.data.map((bucket) => maxOf(bucket.results.map((result) => result.latency_ms?.[percentile] ?? null))) }));
    return { times, requests, errors, latency };
  }, [page, groupBy]);
  const total = charts.requests.reduce((sum, line) => sum + line.values.reduce<number>((inner, value) => inner + (value ?? 0), 0), 0);
  return (
    <>
      <p>
        <strong data-testid="range-requests">{formatNumber(total)}</strong> requests in this range
      </p>
      <TimeSeriesChart title="Requests" times={charts.times} series={charts.requests} />
      <TimeSeriesChart title="Errors" times={charts.times} series={charts.errors} />
      <TimeSeriesChart title="Latency" times={charts.times} series={charts.latency} unit="ms" />
    </>
  );
}

/** The highest of the groups' percentiles: an upper bound for the bucket when the series are grouped. */
function maxOf(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length ? Math.max(...present) : null;
}

/** The ten groups with the most requests over the range. */
function TopTable({ page, title, column, nameOf }: { page: Schemas['UsagePageDto']; title: string; column: string; nameOf: (result: Schemas['UsageResultDto']) => string }) {
  const totals = new Map<string, { requests: number; errors: number }>();
  for (const result of page.data.flatMap((bucket) => bucket.results)) {
    const name = nameOf(result);
    const total = totals.get(name) ?? { requests: 0, errors: 0 };
    totals.set(name, { requests: total.requests + result.requests, errors: total.errors + result.errors });
  }
  const top = [...totals].sort((a, b) => b[1].requests - a[1].requests).slice(0, 10);
  if (top.length === 0) return null;
  return (
    <table>
      <caption>{title}</caption>
      <TableHead columns={[column, 'Requests', 'Errors']} />
      <tbody>
        {top.map(([name, total]) => (
          <tr key={name}>
            <td>{name}</td>
            <td>{formatNumber(total.requests)}</td>
            <td>{formatNumber(total.errors)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The CSV needs the session header, so it is fetched and handed to the browser as a download. */
async function exportCsv(query: URLSearchParams): Promise<void> {
  query.set('format', 'csv');
  const response = await fetch(`/v1/usage/export?${query}`, { headers: sessionHeaders() });
  if (!response.ok) throw apiError(response.status, await response.json().catch(() => undefined));
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = 'usage.csv';
  link.click();
  URL.revokeObjectURL(link.href);
}
