import { z } from 'zod';
import { COMPRESSION_METHODS } from '@maas/runtime';

export const compressionRequestSchema = z.strictObject({
  /** int8 (MatMul/Gemm weights; TF.js: uint8 storage), fp16 (weights stored as halves), auto (each where it pays). */
  method: z.enum(COMPRESSION_METHODS as ['int8', 'fp16', 'auto'], { error: 'method must be int8, fp16 or auto' }),
  /** The largest relative L2 error of any output on the samples before the version is refused. */
  tolerance: z.number().gt(0).max(1).default(0.05),
  /** Input name → nested array: the inputs both versions are compared on (default: 16 generated from the signature). */
  samples: z.record(z.string(), z.array(z.unknown())).optional(),
});

export type CompressionRequest = z.output<typeof compressionRequestSchema>;
