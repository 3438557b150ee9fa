import type { ModelSignature, Tensor } from '@maas/tensor';
import type { TfjsFormat } from './tfjs-bundle';

/** A loaded TF.js model of either format: its signature, a run by input/output names, and its release. */
export interface TfjsServable {
  format: TfjsFormat;
  signature: ModelSignature;
  run(inputs: Tensor[], outputs?: string[]): Promise<Tensor[]>;
  dispose(): void;
}
