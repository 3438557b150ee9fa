/** Probabilities are clipped to [ε, 1 − ε] before the log, as scikit-learn's log_loss does. */
const LOG_LOSS_EPSILON = 1e-15;

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true label is this class. */
  support: number;
}

export interface ClassificationMetrics {
  task: 'classification';
  examples: number;
  accuracy: number;
  /** Unweighted means over the classes that occur as a true or a predicted label (scikit-learn's "macro"). */
  macro: { precision: number; recall: number; f1: number };
  perClass: ClassMetrics[];
  /** Rows are true labels, columns predicted labels, both in the order of `labels`. */
  confusionMatrix: { labels: string[]; matrix: number[][] };
  /** Mean negative log-probability of the true class (a label the model has no class for counts as probability 0). */
  logLoss: number;
}

/**
 * Accumulates a classifier's answers example by example: the model's classes (its labels, in output
 * order) and, per example, the true label and the probabilities the model gave each class.
 */
export class ClassificationTally {
  private readonly labels: string[];
  private readonly indexOf = new Map<string, number>();
  private readonly counts: number[][] = [];
  private logLossSum = 0;
  private examples = 0;
  private correct = 0;

  constructor(modelLabels: readonly string[]) {
    this.labels = [...modelLabels];
    this.labels.forEach((label, index) => this.indexOf.set(label, index));
  }

  add(trueLabel: string, probabilities: ArrayLike<number>): void {
    const truth = this.classIndex(trueLabel);
    let predicted = 0;
    for (let index = 1; index < probabilities.length; index++) if (probabilities[index] > probabilities[predicted]) predicted = index;
    this.counts[truth][predicted]++;
    this.examples++;
    if (truth === predicted) this.correct++;
    // A true label the model has no class for had probability 0.
    const probability = truth < probabilities.length ? probabilities[truth] : 0;
    this.logLossSum -= Math.log(Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probability)));
  }

  result(): ClassificationMetrics {
    const perClass = this.labels.map((label, index) => this.classMetrics(label, index));
    const occurring = perClass.filter((_, index) => this.trueCount(index) > 0 || this.predictedCount(index) > 0);
    const mean = (pick: (metrics: ClassMetrics) => number) => occurring.reduce((sum, metrics) => sum + pick(metrics), 0) / (occurring.length || 1);
    return {
      task: 'classification',
      examples: this.examples,
      accuracy: this.correct / this.examples,
      macro: { precision: mean((metrics) => metrics.precision), recall: mean((metrics) => metrics.recall), f1: mean((metrics) => metrics.f1) },
      perClass,
      confusionMatrix: { labels: [...this.labels], matrix: this.counts.map((row) => [...row]) },
      logLoss: this.logLossSum / this.examples,
    };
  }

  /** A true label outside the model's classes gets a row (and column) of its own: always wrong. */
  private classIndex(label: string): number {
    let index = this.indexOf.get(label);
    if (index === undefined) {
      index = this.labels.push(label) - 1;
      this.indexOf.set(label, index);
    }
    while (this.counts.length < this.labels.length) this.counts.push([]);
    for (const row of this.counts) while (row.length < this.labels.length) row.push(0);
    return index;
  }

  private classMetrics(label: string, index: number): ClassMetrics {
    const truePositives = this.counts[index]?.[index] ?? 0;
    const predicted = this.predictedCount(index);
    const support = this.trueCount(index);
    // Zero where nothing was predicted (or present), as scikit-learn's zero_division=0.
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  }

  private trueCount(index: number): number {
    return (this.counts[index] ?? []).reduce((sum, count) => sum + count, 0);
  }

  private predictedCount(index: number): number {
    return this.counts.reduce((sum, row) => sum + (row[index] ?? 0), 0);
  }
}
