import type { ModelFormat } from '@maas/runtime';
import type { CompressionRequest } from './compression-request';

/** What the worker compresses: the request with the version it names. */
export interface CompressionPlan {
  request: CompressionRequest;
  model: string;
  versionNumber: number;
  format: ModelFormat;
}
