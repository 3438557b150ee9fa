import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `work` while the bench server profiles its main thread (only when BENCH_CPU_PROFILE_DIR is
 * set: profiling slows the server, so measured figures come from runs without it). Returns the
 * profile's busy time by package, or undefined.
 */
export async function profiledWhile<T>(serverUrl: string, name: string, work: () => Promise<T>): Promise<{ result: T; costs?: Array<[string, number]>; allocations?: Array<[string, number]> }> {
  if (!process.env.BENCH_CPU_PROFILE_DIR) return { result: await work() };
  const post = (route: string) => fetch(`${serverUrl}/bench/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  await post('profile/start');
  await post('allocations/start');
  const result = await work();
  const { path: allocations } = (await (await post('allocations/stop')).json()) as { path: string };
  const { path } = (await (await post('profile/stop')).json()) as { path: string };
  return { result, costs: busyTimeByPackage(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile), allocations: allocationsByPackage(JSON.parse(readFileSync(allocations, 'utf8')) as AllocationProfile) };
}

interface AllocationNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: AllocationNode[];
}

interface AllocationProfile {
  head: AllocationNode;
}

/** Shares of the bytes the main thread allocated, by the package that owns the allocating frame (as busyTimeByPackage). */
export function allocationsByPackage(profile: AllocationProfile): Array<[string, number]> {
  const owners = new Map<string, number>();
  let total = 0;
  const visit = (node: AllocationNode, owner: string | undefined) => {
    const own = packageOf(node.callFrame.url) ?? owner;
    total += node.selfSize;
    const name = own ?? runtimeOwner(node.callFrame.url);
    owners.set(name, (owners.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child, own);
  };
  visit(profile.head, undefined);
  return [...owners].map(([owner, bytes]): [string, number] => [owner, bytes / total]).sort((a, b) => b[1] - a[1]);
}

function packageOf(url: string): string | undefined {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const own = /\/(?:libs|apps)\/([^/]+)\//.exec(url);
  return own ? `maas:${own[1]}` : undefined;
}

/**
 * Shares of the main thread's busy time (idle left out) by the package that owns each sample: the
 * nearest frame on its stack that belongs to an npm package or to the platform's own code, so Node's
 * internals count towards whoever called them (a socket write made by Fastify is Fastify's).
 */
export function busyTimeByPackage(profile: CpuProfile): Array<[string, number]> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const owners = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[index] ?? 0;
    busy += delta;
    const owner = ownerOf(id, nodes, parents);
    owners.set(owner, (owners.get(owner) ?? 0) + delta);
  });
  return [...owners].map(([owner, time]): [string, number] => [owner, time / busy]).sort((a, b) => b[1] - a[1]);
}

function ownerOf(id: number, nodes: Map<number, ProfileNode>, parents: Map<number, number>): string {
  const leaf = nodes.get(id)!.callFrame;
  if (leaf.functionName === '(garbage collector)' || leaf.functionName === '(program)') return leaf.functionName;
  for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
    const owner = packageOf(nodes.get(current)!.callFrame.url);
    if (owner) return owner;
  }
  return runtimeOwner(leaf.url);
}

/** Frames of no package: Node's own modules by name, the rest native. */
function runtimeOwner(url: string): string {
  return url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : '(native)';
}

/** The top shares as one line: `fastify 23%, pino 4%, …`. */
export function describeShares(shares: Array<[string, number]>, top = 8): string {
  return shares
    .slice(0, top)
    .map(([name, share]) => `${name} ${(share * 100).toFixed(0)}%`)
    .join(', ');
}
