export type DatasetFormat = 'csv' | 'jsonl';

export const DATASET_FORMATS: readonly DatasetFormat[] = ['csv', 'jsonl'];

/** Distinct label values kept as classes, at most; a label column with more is for regression only. */
export const MAX_CLASSES = 1_000;

/** What an upload records about a dataset, and what a job is checked against before it is queued. */
export interface DatasetSchema {
  format: DatasetFormat;
  labelColumn: string;
  /** CSV: the feature columns; JSON lines: the feature keys (one key when it holds a nested array). */
  featureColumns: string[];
  /** Shape of one example's features: `[columns]`, or the nested array's shape (e.g. [8, 8, 1]). */
  featureShape: number[];
  /** Whether every label is a number (regression is possible) . */
  numericLabels: boolean;
  /** Distinct labels, sorted (numbers numerically), as strings; null when there are more than MAX_CLASSES. */
  classes: string[] | null;
  rows: number;
}

/** The examples themselves, for training: features row-major, labels as read. */
export interface DatasetExamples {
  schema: DatasetSchema;
  features: Float32Array;
  labels: Array<string | number>;
}
