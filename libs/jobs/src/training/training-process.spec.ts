import { describe, expect, it } from 'vitest';
import { separableCsv } from '../../../../test/fixtures/datasets';
import { buffer } from 'node:stream/consumers';
import { readDataset } from '../datasets/dataset-reader';
import { ExampleEncoder } from '../datasets/example-encoding';
import { planTraining } from './training-planner';
import { TrainingProcess } from './training-process';
import type { ChildMessage, DatasetBytes } from './training-protocol';
import { trainingRequestSchema } from './training-spec';

describe('TrainingProcess (a real model.fit in a child process)', () => {
  it('trains a separable 3-class problem past 0.9 validation accuracy, reporting every epoch with a checkpoint', async () => {
    const csv = Buffer.from(separableCsv());
    const { schema } = await readDataset([csv], { format: 'csv', labelColumn: 'label', collect: false });
    const request = trainingRequestSchema.parse({ model: 'm', dataset: 'd', task: 'classification', architecture: { layers: [{ type: 'dense', units: 16, activation: 'relu' }] }, epochs: 8, learningRate: 0.01, seed: 3 });
    const { plan, layers } = planTraining({ request, dataset: { id: 'd', name: 'd', schema } });
    const messages: ChildMessage[] = [];
    const { result } = TrainingProcess.run({ type: 'start', plan, layers, dataset: await parsedExamples(csv), elapsedSeconds: 0 }, { onMessage: async (message) => void messages.push(message) });
    const exit = await result;
    expect(exit, JSON.stringify({ ...exit, bundle: undefined })).toMatchObject({ type: 'finished', outcome: 'succeeded', tensorsLeaked: 0 });
    const epochs = messages.filter((message) => message.type === 'epoch');
    expect(epochs).toHaveLength(8);
    const last = epochs[epochs.length - 1] as Extract<ChildMessage, { type: 'epoch' }>;
    expect(last.metrics.val_accuracy).toBeGreaterThan(0.9);
    expect(last.checkpoint.byteLength).toBeGreaterThan(100);
    expect(messages[0]).toMatchObject({ type: 'started', examples: 480, validationExamples: 120 });

    // A dataset stored before its examples were kept parsed trains from the file, to the same result.
    const fromFile: ChildMessage[] = [];
    await TrainingProcess.run({ type: 'start', plan, layers, dataset: { bytes: csv, parsed: false }, elapsedSeconds: 0 }, { onMessage: async (message) => void fromFile.push(message) }).result;
    expect(fromFile.filter((message) => message.type === 'epoch').map((message) => (message as typeof last).metrics)).toEqual(epochs.map((message) => (message as typeof last).metrics));
  });
});

/** The examples as an upload stores them. */
async function parsedExamples(csv: Buffer): Promise<DatasetBytes> {
  const encoder = new ExampleEncoder();
  const encoded = buffer(encoder.stream);
  await readDataset([csv], { format: 'csv', labelColumn: 'label', collect: false, encoder });
  encoder.end();
  return { bytes: await encoded, parsed: true };
}
