import { describe, expect, it } from 'vitest';
import { separableCsv } from '../../../../test/fixtures/datasets';
import { readDataset } from '../datasets/dataset-reader';
import { planTraining } from './training-planner';
import { TrainingProcess } from './training-process';
import type { ChildMessage } from './training-protocol';
import { trainingRequestSchema } from './training-spec';

describe('TrainingProcess (a real model.fit in a child process)', () => {
  it('trains a separable 3-class problem past 0.9 validation accuracy, reporting every epoch with a checkpoint', async () => {
    const csv = Buffer.from(separableCsv());
    const { schema } = await readDataset([csv], { format: 'csv', labelColumn: 'label', collect: false });
    const request = trainingRequestSchema.parse({ model: 'm', dataset: 'd', task: 'classification', architecture: { layers: [{ type: 'dense', units: 16, activation: 'relu' }] }, epochs: 8, learningRate: 0.01, seed: 3 });
    const { plan, layers } = planTraining({ request, dataset: { id: 'd', name: 'd', schema } });
    const messages: ChildMessage[] = [];
    const { result } = TrainingProcess.run({ type: 'start', plan, layers, dataset: csv, elapsedSeconds: 0 }, { onMessage: async (message) => void messages.push(message) });
    const exit = await result;
    expect(exit, JSON.stringify({ ...exit, bundle: undefined })).toMatchObject({ type: 'finished', outcome: 'succeeded', tensorsLeaked: 0 });
    const epochs = messages.filter((message) => message.type === 'epoch');
    expect(epochs).toHaveLength(8);
    const last = epochs[epochs.length - 1] as Extract<ChildMessage, { type: 'epoch' }>;
    expect(last.metrics.val_accuracy).toBeGreaterThan(0.9);
    expect(last.checkpoint.byteLength).toBeGreaterThan(100);
    expect(messages[0]).toMatchObject({ type: 'started', examples: 480, validationExamples: 120 });
  });
});
