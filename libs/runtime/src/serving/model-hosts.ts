import { Worker } from 'node:worker_threads';
import type { ModelSignature, Tensor } from '@maas/tensor';
import { compiledEntry } from '../compiled-entry';
import { InvalidModelError } from '../runtime-errors';
import { HostedModel, type Replica } from './hosted-model';
import { packBodies } from './packed-bodies';
import type { Execution, HostReply, HostRequest, JsonAnswer, JsonRequest, JsonRun, ModelBytes, ModelHostData, RunRequest, RunResult, SessionSetup } from './worker-protocol';

export interface ModelHostsOptions {
  /** Shared host threads, started as models arrive (each holds many models' sessions). */
  sharedHosts: number;
  /** Models larger than this get hosts of their own (a heavy load or run would stall its neighbours). */
  dedicatedAboveBytes: number;
  /**
   * Nice value of the host threads (Linux; 0 leaves them at the process's priority). Above 0 the
   * HTTP event loop, which feeds every host, goes first when the cores are contended: at equal
   * priority, waking a sleeping host to post it a batch let the host take the loop's core at once,
   * and the loop waited 63-195 µs per batch (on average, under full load on 2 vCPUs) to get it back.
   */
  hostNice?: number;
}

type Loaded = Extract<HostReply, { type: 'loaded' }>;

/** How long after a heavy model's load the next spare host starts booting. */
const SPARE_BOOT_DELAY_MS = 200;

/** One host thread, its sessions and the calls awaiting its answers. */
export class ModelHost {
  readonly worker: Worker;
  hostedBytes = 0;
  private readonly runs = new Map<number, { resolve: (result: Extract<RunResult, { ok: true }>) => void; reject: (error: Error) => void }>();
  private readonly loads = new Map<number, { resolve: (loaded: Loaded) => void; reject: (error: Error) => void }>();
  private readonly lostListeners = new Map<number, () => void>();
  private nextRun = 1;
  private gone?: Error;
  /** Runs asked for in this turn of the event loop, posted together at its end. */
  private outbox: RunRequest[] = [];
  /** The buffers those runs hand over (packed bodies). */
  private outboxTransfer: ArrayBuffer[] = [];

  constructor(
    readonly dedicated: boolean,
    private readonly onExit: (host: ModelHost) => void,
    nice = 0,
  ) {
    const workerData: ModelHostData = { nice };
    this.worker = new Worker(compiledEntry(__dirname, 'model-host.js'), { workerData });
    this.worker.on('message', (message: HostReply) => this.receive(message));
    this.worker.on('error', (error) => (this.gone ??= error));
    this.worker.once('exit', (code) => this.exited(code));
  }

  post(message: HostRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Resolves when the session at `end` is created (or fails with the runtime's reason). */
  awaitLoad(session: number): Promise<Loaded> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => this.loads.set(session, { resolve, reject }));
  }

  run(session: number, inputs: Tensor[], outputs?: string[]): Promise<{ outputs: Tensor[]; computeNs: number }> {
    return this.call({ kind: 'tensors', id: 0, session, inputs, outputs }) as Promise<{ outputs: Tensor[]; computeNs: number }>;
  }

  /** KServe V2 JSON bodies answered by the host from their bytes (json-requests.ts). */
  runJson(session: number, requests: JsonRequest[], maxBatchSize: number): Promise<{ answers: JsonAnswer[]; executions: Execution[] }> {
    const { modelName, modelVersion } = requests[0];
    const run: JsonRun = { kind: 'json', id: 0, session, ...packBodies(requests), modelName, modelVersion, maxBatchSize };
    return this.call(run, run.bodies.buffer as ArrayBuffer) as Promise<{ answers: JsonAnswer[]; executions: Execution[] }>;
  }

  private call(run: RunRequest, transfer?: ArrayBuffer): Promise<Extract<RunResult, { ok: true }>> {
    if (this.gone) return Promise.reject(this.gone);
    run.id = this.nextRun++;
    return new Promise((resolve, reject) => {
      this.runs.set(run.id, { resolve, reject });
      if (this.outbox.length === 0) setImmediate(() => this.sendRuns());
      this.outbox.push(run);
      if (transfer) this.outboxTransfer.push(transfer);
    });
  }

  /**
   * One message for every run asked for in the turn: with traffic spread over many small models
   * each batch holds one request, and a message per run cost the main thread more than the run.
   */
  private sendRuns(): void {
    const runs = this.outbox;
    const transfer = this.outboxTransfer;
    this.outbox = [];
    this.outboxTransfer = [];
    if (!this.gone) this.post({ type: 'runs', runs }, transfer);
  }

  /** Told once if the thread dies while the session is hosted (its models must load again elsewhere). */
  watch(session: number, onLost: () => void): void {
    this.lostListeners.set(session, onLost);
  }

  unload(session: number): void {
    this.lostListeners.delete(session);
    if (!this.gone) this.post({ type: 'unload', session });
  }

  get sessions(): number {
    return this.lostListeners.size;
  }

  private receive(message: HostReply): void {
    if (message.type === 'results') {
      for (const result of message.results) {
        const pending = this.runs.get(result.id);
        this.runs.delete(result.id);
        if (result.ok) pending?.resolve(result);
        else pending?.reject(new Error(result.message));
      }
      return;
    }
    const pending = this.loads.get(message.session);
    this.loads.delete(message.session);
    if (message.type === 'loaded') pending?.resolve(message);
    else pending?.reject(new InvalidModelError(message.message));
  }

  private exited(code: number): void {
    const reason = (this.gone ??= new Error(`the model worker exited (code ${code})`));
    for (const pending of [...this.runs.values(), ...this.loads.values()]) pending.reject(reason);
    this.runs.clear();
    this.loads.clear();
    const lost = [...this.lostListeners.values()];
    this.lostListeners.clear();
    this.onExit(this);
    for (const listener of lost) listener();
  }
}

/**
 * The model hosts of a process (Triton's shape: every model in one process over shared threads). A
 * small model's sessions go to the least loaded of at most `sharedHosts` threads, so the thread
 * count does not grow with the number of models; a model above `dedicatedAboveBytes` gets threads
 * of its own, ended with it (once one has loaded, another waits booted for the next). Replicas of a
 * model sit on distinct hosts, each an executor of its batcher.
 */
export class ModelHosts {
  private readonly shared: ModelHost[] = [];
  /** A dedicated host booted ahead of the next heavy model (see dedicatedHosts). */
  private spare?: ModelHost;
  private nextSession = 1;
  private closed = false;

  constructor(private readonly options: ModelHostsOptions) {}

  /**
   * The sessions a model of this size gets when `wanted` are asked for: as many on threads of its own,
   * or at most one per shared host (replicas sit on distinct hosts).
   */
  replicasFor(sizeBytes: number, wanted: number): number {
    return this.isDedicated(sizeBytes) ? wanted : Math.min(wanted, this.options.sharedHosts);
  }

  /** Loads `replicas` sessions of the model (see replicasFor: asking for more than a shared model gets, gets fewer). */
  async load(setup: SessionSetup, model: ModelBytes, replicas: number, onLost: () => void): Promise<HostedModel> {
    if (this.closed) throw new Error('the model hosts are closed');
    const count = this.replicasFor(model.sizeBytes, replicas);
    const dedicated = this.isDedicated(model.sizeBytes);
    const hosts = dedicated ? this.dedicatedHosts(count) : this.leastLoaded(count);
    const placed: Replica[] = hosts.map((host) => ({ host, session: this.nextSession++ }));
    // Counted at once, so models loading side by side spread over the hosts.
    for (const host of hosts) host.hostedBytes += model.sizeBytes;
    const loads = placed.map(({ host, session }) => host.awaitLoad(session));
    try {
      await streamModel(placed, setup, model);
      const results = await Promise.allSettled(loads);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw (failure as PromiseRejectedResult).reason;
      const first = (results[0] as PromiseFulfilledResult<Loaded>).value;
      for (const { host, session } of placed) host.watch(session, onLost);
      return new HostedModel(placed, first.signature as ModelSignature, first.runtimeInfo, model.sizeBytes);
    } catch (error) {
      await Promise.allSettled(loads);
      for (const { host, session } of placed) {
        host.hostedBytes -= model.sizeBytes;
        if (host.dedicated) void host.worker.terminate();
        else host.unload(session);
      }
      throw error;
    } finally {
      // Not at once: the model's first run and answer (20-40 ms) would share the cores with the boot.
      if (dedicated) setTimeout(() => this.bootSpare(), SPARE_BOOT_DELAY_MS).unref();
    }
  }

  /** The dedicated host waiting warm for the next heavy model, if one is. */
  get spareDedicatedHost(): ModelHost | undefined {
    return this.spare;
  }

  /** Threads hosting models now (shared and dedicated ones are both counted by the process). */
  get sharedHostCount(): number {
    return this.shared.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    await Promise.all([...this.shared.splice(0), ...(spare ? [spare] : [])].map((host) => host.worker.terminate()));
  }

  /**
   * Threads of its own for a heavy model, the first of them the spare when one waits. Booting a host
   * (an isolate and the runtime's modules, 40-80 ms of CPU) beside the model's stream from storage
   * slowed that stream on 2 vCPUs: the last piece of a 96 MiB model was sent after 174-288 ms to a host
   * booted for it and after 155-214 ms to one booted before (4 of each, alternated; end to end the
   * rest of a load swings more than that).
   */
  private dedicatedHosts(count: number): ModelHost[] {
    return Array.from({ length: count }, (_, index) => {
      const spare = index === 0 ? this.spare : undefined;
      if (!spare) return this.startDedicated();
      this.spare = undefined;
      return spare;
    });
  }

  /** After a heavy model's load, one host boots for the next (once there is a heavy model, another is likely). */
  private bootSpare(): void {
    if (this.closed || this.spare) return;
    this.spare = this.startDedicated();
  }

  private startDedicated(): ModelHost {
    return new ModelHost(true, (gone) => {
      if (this.spare === gone) this.spare = undefined;
    }, this.options.hostNice);
  }

  private isDedicated(sizeBytes: number): boolean {
    return sizeBytes > this.options.dedicatedAboveBytes;
  }

  /** A host that died: the next model to load starts a new one in its place. */
  private forget(host: ModelHost): void {
    const index = this.shared.indexOf(host);
    if (index >= 0) this.shared.splice(index, 1);
  }

  /** Distinct hosts with the fewest hosted bytes; new ones are started first, while fewer than `sharedHosts` exist. */
  private leastLoaded(wanted: number): ModelHost[] {
    const missing = Math.min(wanted, this.options.sharedHosts - this.shared.length);
    for (let started = 0; started < missing; started++) this.shared.push(new ModelHost(false, (gone) => this.forget(gone), this.options.hostNice));
    return this.shared.slice().sort((a, b) => a.hostedBytes - b.hostedBytes || a.sessions - b.sessions).slice(0, wanted);
  }
}

/** Streams the model to every replica's host while it is decrypted; the last host gets the pieces transferred. */
async function streamModel(placed: Replica[], setup: SessionSetup, model: ModelBytes): Promise<void> {
  placed.forEach(({ host, session }) => host.post({ type: 'begin', session, sizeBytes: model.sizeBytes, setup }));
  try {
    for await (const bytes of model.chunks) {
      const ownsBuffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      placed.forEach(({ host, session }, index) => host.post({ type: 'piece', session, bytes }, ownsBuffer && index === placed.length - 1 ? [bytes.buffer as ArrayBuffer] : []));
    }
  } finally {
    // Also when the source failed mid-way: the hosts then refuse the short model and free its buffer.
    placed.forEach(({ host, session }) => host.post({ type: 'end', session }));
  }
}
