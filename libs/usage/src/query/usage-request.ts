import { z } from 'zod';

export type BucketWidth = '1m' | '1h' | '1d';
export type GroupBy = 'model' | 'version' | 'api_key' | 'status';

/** Buckets per page, by width: default and maximum (OpenAI's usage API pages the same way). */
export const PAGE_LIMITS: Record<BucketWidth, { default: number; max: number }> = { '1m': { default: 60, max: 1_440 }, '1h': { default: 24, max: 168 }, '1d': { default: 7, max: 31 } };
export const BUCKET_SECONDS: Record<BucketWidth, number> = { '1m': 60, '1h': 3_600, '1d': 86_400 };

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: `each must be one of ${values.join(', ')}` })));

const names = z.string().transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean));

/** `GET /v1/usage` and its CSV export: times are Unix seconds, as in OpenAI's usage API. */
export const usageRequestSchema = z
  .object({
    start_time: z.coerce.number({ error: 'start_time must be a Unix time in seconds' }).int('start_time must be a whole number of seconds').nonnegative(),
    end_time: z.coerce.number({ error: 'end_time must be a Unix time in seconds' }).int('end_time must be a whole number of seconds').positive().optional(),
    bucket_width: z.enum(['1m', '1h', '1d'], { error: 'bucket_width must be 1m, 1h or 1d' }).default('1d'),
    group_by: list(['model', 'version', 'api_key', 'status'] as const).optional(),
    models: names.optional(),
    api_key_ids: names.optional(),
    limit: z.coerce.number().int().positive().optional(),
    page: z.coerce.number({ error: 'page must be the next_page value of the previous answer' }).int().nonnegative().optional(),
  })
  .strict();

export type UsageRequest = z.infer<typeof usageRequestSchema>;
