import { describe, expect, it } from 'vitest';
import { ClassificationTally } from './classification-metrics';
import { RegressionTally } from './regression-metrics';

describe('classification metrics, checked against values worked out by hand', () => {
  // true label, probabilities for [cat, dog, fox] → predicted
  const examples: Array<[string, number[]]> = [
    ['cat', [0.7, 0.2, 0.1]], // cat
    ['cat', [0.2, 0.6, 0.2]], // dog
    ['dog', [0.1, 0.8, 0.1]], // dog
    ['dog', [0.3, 0.3, 0.4]], // fox
    ['fox', [0.25, 0.25, 0.5]], // fox
    ['fox', [0.2, 0.5, 0.3]], // dog
  ];

  it('gives accuracy, per-class and macro precision/recall/F1, the confusion matrix and log-loss', () => {
    const tally = new ClassificationTally(['cat', 'dog', 'fox']);
    for (const [label, probabilities] of examples) tally.add(label, probabilities);
    const metrics = tally.result();
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.confusionMatrix).toEqual({ labels: ['cat', 'dog', 'fox'], matrix: [[1, 1, 0], [0, 1, 1], [0, 1, 1]] });
    // cat: 1 of 1 predicted right, 1 of 2 found; dog: 1 of 3, 1 of 2; fox: 1 of 2, 1 of 2.
    expect(metrics.perClass.map(({ precision, recall, support }) => [precision, recall, support])).toEqual([[1, 0.5, 2], [1 / 3, 0.5, 2], [0.5, 0.5, 2]]);
    expect(metrics.perClass[0].f1).toBeCloseTo(2 / 3, 12);
    expect(metrics.perClass[1].f1).toBeCloseTo(0.4, 12);
    expect(metrics.macro.precision).toBeCloseTo(11 / 18, 12);
    expect(metrics.macro.recall).toBeCloseTo(0.5, 12);
    expect(metrics.macro.f1).toBeCloseTo((2 / 3 + 0.4 + 0.5) / 3, 12);
    expect(metrics.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3) + Math.log(0.5) + Math.log(0.3)) / 6, 12);
  });

  it('counts a true label the model has no class for as wrong, with a row of its own', () => {
    const tally = new ClassificationTally(['cat', 'dog']);
    tally.add('cat', [0.9, 0.1]);
    tally.add('owl', [0.4, 0.6]);
    const metrics = tally.result();
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.confusionMatrix).toEqual({ labels: ['cat', 'dog', 'owl'], matrix: [[1, 0, 0], [0, 0, 0], [0, 1, 0]] });
    expect(metrics.perClass[2]).toEqual({ label: 'owl', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(metrics.logLoss).toBeCloseTo((-Math.log(0.9) - Math.log(1e-15)) / 2, 9);
  });
});

describe('regression metrics', () => {
  it('gives MSE, RMSE, MAE and R² as worked out by hand', () => {
    const tally = new RegressionTally();
    [[1, 1.5], [2, 2], [3, 2], [4, 5]].forEach(([truth, predicted]) => tally.add(truth, predicted));
    // errors 0.5, 0, −1, 1; mean of the truth 2.5, SS_tot 5, SS_res 2.25
    expect(tally.result()).toEqual({ task: 'regression', examples: 4, mse: 0.5625, rmse: 0.75, mae: 0.625, r2: 0.55 });
  });

  it('has no R² when every true value is the same', () => {
    const tally = new RegressionTally();
    tally.add(2, 1);
    tally.add(2, 3);
    expect(tally.result().r2).toBeNull();
  });
});
