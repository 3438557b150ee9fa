import { BadRequestException } from '@nestjs/common';
import { describeIssues } from '@maas/errors';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { postprocessSchema } from '@maas/pipeline';

export const predictRequestSchema = z.strictObject({
  /** Input name → a nested array (row-major), or image bytes (base64 text, one or a list) for an input whose pipeline decodes images. */
  inputs: z.record(z.string(), z.unknown(), { error: 'inputs must be an object of input name → nested array (or base64 image)' }),
  /** A version number or alias (default: production, else the newest). */
  version: z.string().min(1).optional(),
  /** Overrides the version's post-processing, field by field. */
  postprocess: postprocessSchema.optional(),
});

export type PredictRequest = z.output<typeof predictRequestSchema>;

export function parsePredictRequest(body: unknown): PredictRequest {
  const parsed = predictRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new BadRequestException(describeIssues(parsed.error.issues));
}

/**
 * A multipart predict request, as Hugging Face's image endpoints take one: each file part is an
 * input's bytes (the part's field name is the input; repeated parts make a batch), `version` is
 * text, and `postprocess` or any other input is JSON text.
 */
export async function readMultipartPredict(request: FastifyRequest): Promise<PredictRequest> {
  const inputs: Record<string, unknown> = {};
  const body: Record<string, unknown> = { inputs };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      const earlier = inputs[part.fieldname];
      inputs[part.fieldname] = earlier === undefined ? bytes : [earlier, bytes].flat();
    } else if (part.fieldname === 'version') body.version = String(part.value);
    else if (part.fieldname === 'postprocess') body.postprocess = jsonField(part.fieldname, String(part.value));
    else inputs[part.fieldname] = jsonField(part.fieldname, String(part.value));
  }
  return parsePredictRequest(body);
}

function jsonField(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestException(`multipart field "${name}" must be JSON text (files go in file parts named after the input)`);
  }
}
