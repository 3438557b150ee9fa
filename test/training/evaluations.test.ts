import { beforeAll, describe, expect, it } from 'vitest';
import { identityOnnx } from '../fixtures/onnx-models';
import { bearer, signUp, type SignedUpAccount } from '../support/accounts';
import { type TestApp } from '../support/test-app';
import { startJob, uploadDataset, useTrainingPlatform, waitForEvaluation, waitForJob } from '../support/training';
import { createModel, uploadOnnx } from '../support/uploads';

/** Scores of an identity model are the features themselves, so every metric can be worked out by hand. */
const ANIMALS_CSV = ['cat_score,dog_score,fox_score,animal', '0.7,0.2,0.1,cat', '0.2,0.6,0.2,cat', '0.1,0.8,0.1,dog', '0.3,0.3,0.4,dog', '0.25,0.25,0.5,fox', '0.2,0.5,0.3,fox'].join('\n');
/** Predictions (x, through an identity) against the truth (y). */
const LINE_CSV = ['x,y', '1.5,1', '2,2', '2,3', '5,4'].join('\n');

describe('evaluations', () => {
  const platform = useTrainingPlatform({});
  let app: TestApp;
  let account: SignedUpAccount;
  const evaluate = (model: string, version: string, body: unknown, key = account.apiKey) => app.request({ method: 'POST', url: `/v1/models/${model}/versions/${version}/evaluations`, headers: bearer(key), payload: body });

  beforeAll(async () => {
    ({ app, account } = platform);
    expect((await uploadDataset(app, account.apiKey, 'animals', ANIMALS_CSV, 'csv', 'animal')).statusCode).toBe(201);
    expect((await uploadDataset(app, account.apiKey, 'line', LINE_CSV, 'csv', 'y')).statusCode).toBe(201);
    await createModel(app, account.apiKey, 'animals');
    for (const labels of [['cat', 'dog', 'fox'], ['dog', 'cat', 'fox']]) {
      const upload = await app.request({ method: 'POST', url: '/v1/models/animals/versions', headers: { ...bearer(account.apiKey), 'content-type': 'application/octet-stream', 'x-model-format': 'onnx', 'x-model-pipeline': JSON.stringify({ postprocess: { labels } }) }, payload: identityOnnx('FP32', 3) });
      expect(upload.statusCode, upload.body).toBe(201);
    }
    await createModel(app, account.apiKey, 'line');
    expect((await uploadOnnx(app, account.apiKey, 'line', identityOnnx('FP32', 1))).statusCode).toBe(201);
  });

  it('scores a classifier: accuracy, per-class and macro precision/recall/F1, confusion matrix, log-loss', async () => {
    const created = await evaluate('animals', '1', { dataset: 'animals' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ model: 'animals', version: 1, dataset: 'animals', task: 'classification', split: 'all' });
    const evaluation = await waitForEvaluation(app, account.apiKey, created.json().id);
    expect(evaluation.status, JSON.stringify(evaluation)).toBe('succeeded');
    const { metrics } = evaluation;
    expect(metrics).toMatchObject({ task: 'classification', examples: 6, accuracy: 0.5, scores: 'probabilities' });
    expect(metrics.confusionMatrix).toEqual({ labels: ['cat', 'dog', 'fox'], matrix: [[1, 1, 0], [0, 1, 1], [0, 1, 1]] });
    expect(metrics.perClass.map((row: { label: string; precision: number; recall: number }) => [row.label, row.precision, row.recall])).toEqual([['cat', 1, 0.5], ['dog', 1 / 3, 0.5], ['fox', 0.5, 0.5]]);
    expect(metrics.macro.f1).toBeCloseTo((2 / 3 + 0.4 + 0.5) / 3, 6);
    expect(metrics.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3) + Math.log(0.5) + Math.log(0.3)) / 6, 5);
    const events = (await app.request({ url: `/v1/evaluations/${evaluation.id}/events`, headers: bearer(account.apiKey) })).json().data;
    expect(events.at(-1)).toMatchObject({ type: 'metrics', message: expect.stringContaining('evaluated 6 examples: accuracy 0.5000') });
    // Evaluations are jobs of their own kind: the training-job list does not show them.
    const trainingJobs = (await app.request({ url: '/v1/training-jobs?limit=100', headers: bearer(account.apiKey) })).json().data;
    expect(trainingJobs.map((job: { id: string }) => job.id)).not.toContain(evaluation.id);
    expect((await app.request({ url: `/v1/training-jobs/${evaluation.id}`, headers: bearer(account.apiKey) })).statusCode).toBe(404);
  });

  it('scores a regressor: MSE, RMSE, MAE, R²', async () => {
    const created = await evaluate('line', '1', { dataset: 'line' });
    expect(created.statusCode, created.body).toBe(201);
    const evaluation = await waitForEvaluation(app, account.apiKey, created.json().id);
    expect(evaluation.metrics).toEqual({ task: 'regression', examples: 4, mse: 0.5625, rmse: 0.75, mae: 0.625, r2: 0.55, split: 'all' });
  });

  it('lines up the versions of a model evaluated on one dataset in one call', async () => {
    const second = await waitForEvaluation(app, account.apiKey, (await evaluate('animals', '2', { dataset: 'animals' })).json().id);
    expect(second.metrics.accuracy).toBeCloseTo(1 / 3, 12);
    const comparison = (await app.request({ url: '/v1/models/animals/evaluations?dataset=animals', headers: bearer(account.apiKey) })).json();
    expect(comparison).toMatchObject({ model: 'animals', dataset: 'animals' });
    expect(comparison.versions.map((row: { version: number; headline: { accuracy: number } }) => [row.version, row.headline.accuracy])).toEqual([[1, 0.5], [2, 1 / 3]]);
    const listed = (await app.request({ url: '/v1/models/animals/versions/2/evaluations', headers: bearer(account.apiKey) })).json();
    expect(listed.map((row: { id: string }) => row.id)).toEqual([second.id]);
  });

  it('evaluates a trained version on the rows its training held out, agreeing with its validation accuracy', async () => {
    const trained = await waitForJob(app, account.apiKey, (await startJob(app, account.apiKey, { model: 'blobs-evaluated', dataset: 'blobs', task: 'classification', architecture: { layers: [{ type: 'dense', units: 8, activation: 'relu' }] }, epochs: 3, learningRate: 0.01, seed: 5 })).id);
    expect(trained.status).toBe('succeeded');
    const created = await evaluate('blobs-evaluated', '1', { dataset: 'blobs', split: 'validation' });
    expect(created.statusCode, created.body).toBe(201);
    const evaluation = await waitForEvaluation(app, account.apiKey, created.json().id);
    expect(evaluation.metrics).toMatchObject({ split: 'validation', examples: 120, scores: 'probabilities' });
    expect(evaluation.metrics.confusionMatrix.labels).toEqual(['blue', 'green', 'red']);
    expect(evaluation.metrics.accuracy).toBeCloseTo(trained.metrics.val_accuracy, 5);
  });

  it('refuses what cannot be evaluated, naming why', async () => {
    const problems = async (model: string, body: unknown) => {
      const response = await evaluate(model, '1', body);
      expect(response.statusCode, response.body).toBe(400);
      return response.json().error.message as string;
    };
    expect(await problems('animals', { dataset: 'line' })).toContain('dataset "line" has examples of shape [1], the model\'s input "input" takes [-1, 3]');
    expect(await problems('animals', { dataset: 'animals', labelColumn: 'species' })).toContain('was checked with label column "animal", not "species"');
    expect(await problems('animals', { dataset: 'animals', task: 'regression' })).toContain('a regression needs numeric labels');
    expect(await problems('animals', { dataset: 'animals', split: 'validation' })).toContain('split "validation" needs a version trained by the platform');
    expect(await problems('animals', { dataset: 'animals', split: 'some' })).toContain('split');
    expect((await evaluate('animals', '1', { dataset: 'nope' })).statusCode).toBe(404);
    expect((await evaluate('animals', '9', { dataset: 'animals' })).statusCode).toBe(404);
    expect((await app.request({ url: '/v1/models/animals/evaluations', headers: bearer(account.apiKey) })).statusCode).toBe(400);
  });

  it("another tenant's evaluations are a 404, and its datasets cannot be named", async () => {
    const other = await signUp(app, 'Evaluation Rival');
    const mine = (await app.request({ url: '/v1/models/animals/versions/1/evaluations', headers: bearer(account.apiKey) })).json()[0];
    expect((await app.request({ url: `/v1/evaluations/${mine.id}`, headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await app.request({ url: `/v1/evaluations/${mine.id}/events`, headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await app.request({ url: '/v1/models/animals/versions/1/evaluations', headers: bearer(other.apiKey) })).statusCode).toBe(404);
    expect((await app.request({ url: '/v1/models/animals/evaluations?dataset=animals', headers: bearer(other.apiKey) })).statusCode).toBe(404);
    await createModel(app, other.apiKey, 'animals');
    expect((await uploadOnnx(app, other.apiKey, 'animals', identityOnnx('FP32', 3))).statusCode).toBe(201);
    expect((await evaluate('animals', '1', { dataset: 'animals' }, other.apiKey)).statusCode).toBe(404);
  });
});
