export interface RegressionMetrics {
  task: 'regression';
  examples: number;
  mse: number;
  rmse: number;
  mae: number;
  /** 1 − SS_res / SS_tot; null when every true value is the same (SS_tot = 0). */
  r2: number | null;
}

/** Accumulates a regressor's answers: Welford's running mean keeps SS_tot exact without a second pass. */
export class RegressionTally {
  private examples = 0;
  private squaredErrors = 0;
  private absoluteErrors = 0;
  private mean = 0;
  private sumOfSquaredDeviations = 0;

  add(truth: number, predicted: number): void {
    const error = predicted - truth;
    this.squaredErrors += error * error;
    this.absoluteErrors += Math.abs(error);
    this.examples++;
    const delta = truth - this.mean;
    this.mean += delta / this.examples;
    this.sumOfSquaredDeviations += delta * (truth - this.mean);
  }

  result(): RegressionMetrics {
    const mse = this.squaredErrors / this.examples;
    return {
      task: 'regression',
      examples: this.examples,
      mse,
      rmse: Math.sqrt(mse),
      mae: this.absoluteErrors / this.examples,
      r2: this.sumOfSquaredDeviations > 0 ? 1 - this.squaredErrors / this.sumOfSquaredDeviations : null,
    };
  }
}
