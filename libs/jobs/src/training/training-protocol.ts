import type { ModelInspection } from '@maas/runtime';
import type { TrainingPlan } from './training-spec';
import type { LayerSpec } from './training-spec';

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy?: number;
  mae?: number;
  val_loss?: number;
  val_accuracy?: number;
  val_mae?: number;
}

/** A dataset as stored: its examples parsed at upload (see example-encoding), or — uploaded before those were kept — the file itself. */
export interface DatasetBytes {
  bytes: Uint8Array;
  parsed: boolean;
}

/** Parent → child: what to train, from where. */
export interface StartTraining {
  type: 'start';
  plan: TrainingPlan;
  layers: LayerSpec[];
  dataset: DatasetBytes;
  validationDataset?: DatasetBytes;
  /** Resume: the latest checkpoint (a TF.js bundle with optimizer state) and the epochs it covers. */
  checkpoint?: { epochsDone: number; bundle: Uint8Array; history: EpochMetrics[] };
  /** Fine-tuning: the base version's TF.js bundle. */
  base?: Uint8Array;
  /** Wall-clock seconds already spent on earlier attempts (counted against maxRuntimeSeconds). */
  elapsedSeconds: number;
}

/** The trained network as ONNX, with the largest difference from TF.js measured on validation examples. */
export interface OnnxExport {
  bytes: Uint8Array;
  /** The export loaded by onnxruntime in the child: its signature, so registering it needs no inspector process. */
  inspection: ModelInspection;
  maxAbsDifference: number;
  comparedExamples: number;
}

export type StopReason = 'cancelled';

/** Parent → child. */
export type ParentMessage = StartTraining | { type: 'stop'; reason: StopReason };

/** Child → parent. */
export type ChildMessage =
  | { type: 'started'; backend: string; note?: string; examples: number; validationExamples: number }
  | { type: 'progress'; epoch: number; batch: number; batches: number; fraction: number; loss: number }
  | { type: 'epoch'; metrics: EpochMetrics; checkpoint: Uint8Array; fraction: number }
  | { type: 'finished'; outcome: 'succeeded' | 'cancelled' | 'early_stopped' | 'timed_out'; bundle?: Uint8Array; inspection?: ModelInspection; onnx?: OnnxExport; history: EpochMetrics[]; tensorsLeaked: number; message: string }
  | { type: 'failed'; message: string; invalid: boolean };
