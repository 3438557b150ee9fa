import { loadTfjsBackends } from '@maas/runtime';
import type { ChildMessage, ParentMessage } from './training-protocol';
import { runTraining } from './training-run';
import { InvalidDatasetError } from '../datasets/dataset-errors';

/**
 * The training child process: one job's `model.fit`, away from the trainer's event loop (which
 * must keep renewing the queue lock) and from the API. It receives one `start` and, perhaps, a
 * `stop`; it reports progress, epochs with their checkpoints, and the outcome, then exits. TF.js
 * and its backends load before the job arrives (a warm spare has them ready).
 */
let stopRequested = false;
const backendsLoaded = loadTfjsBackends();

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

// The trainer that started this process is gone (killed): nobody will read the results, and the
// queue will hand the job to another worker, which resumes from the last checkpoint.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  const pending: Array<Promise<void>> = [];
  backendsLoaded
    .then(() => runTraining(message, (report) => void pending.push(send(report)), () => stopRequested))
    .catch((error: Error) => pending.push(send({ type: 'failed', message: error.message.split('\n')[0], invalid: error instanceof InvalidDatasetError })))
    .finally(async () => {
      await Promise.all(pending);
      process.exit(0);
    });
});
