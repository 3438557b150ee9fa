import type { ModelSignature, Tensor } from '@maas/tensor';
import type { ModelHost } from './model-hosts';
import type { Execution, JsonAnswer, JsonRequest } from './worker-protocol';

/** One session of a model on one host. */
export interface Replica {
  host: ModelHost;
  session: number;
}

/** A model's sessions on its hosts: a run goes to the replica with the fewest runs in flight. */
export class HostedModel {
  private readonly inFlight: number[];
  private released = false;

  constructor(
    private readonly replicas: Replica[],
    readonly signature: ModelSignature,
    readonly runtimeInfo: Record<string, unknown>,
    readonly sizeBytes: number,
  ) {
    this.inFlight = replicas.map(() => 0);
  }

  run(inputs: Tensor[], outputs?: string[]): Promise<{ outputs: Tensor[]; computeNs: number }> {
    return this.onLeastBusy((host, session) => host.run(session, inputs, outputs));
  }

  runJson(requests: JsonRequest[], maxBatchSize: number): Promise<{ answers: JsonAnswer[]; executions: Execution[] }> {
    return this.onLeastBusy((host, session) => host.runJson(session, requests, maxBatchSize));
  }

  private async onLeastBusy<T>(call: (host: ModelHost, session: number) => Promise<T>): Promise<T> {
    if (this.released) throw new Error('model was unloaded');
    let chosen = 0;
    for (let index = 1; index < this.replicas.length; index++) if (this.inFlight[index] < this.inFlight[chosen]) chosen = index;
    const { host, session } = this.replicas[chosen];
    this.inFlight[chosen]++;
    try {
      return await call(host, session);
    } finally {
      this.inFlight[chosen]--;
    }
  }

  get size(): number {
    return this.replicas.length;
  }

  /** The threads holding its sessions. */
  get hosts(): ModelHost[] {
    return this.replicas.map((replica) => replica.host);
  }

  /** Waits for runs in flight, then frees the sessions (and ends hosts of its own). */
  async release(): Promise<void> {
    this.released = true;
    while (this.inFlight.some((count) => count > 0)) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const { host, session } of this.replicas) {
      host.hostedBytes -= this.sizeBytes;
      if (host.dedicated) await host.worker.terminate();
      else host.unload(session);
    }
  }
}
