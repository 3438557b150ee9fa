import { expect } from 'vitest';
import { PrismaService } from '@maas/db';
import { mlpOnnx } from '../fixtures/onnx-models';
import { signUp, type SignedUpAccount } from './accounts';
import type { TestApp } from './test-app';
import { createModel, uploadOnnx } from './uploads';

/** The body the limit tests send: one row for the 4→3 MLP served by `limitedTenant`. */
export const LIMITED_MODEL_BODY = { inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] };

/** A fresh tenant whose own limits override its plan's, serving a 4→3 MLP as `model`. */
export async function limitedTenant(app: TestApp, organization: string, limits: Record<string, number>, model: string): Promise<SignedUpAccount> {
  const tenant = await signUp(app, organization);
  await app.app.get(PrismaService).tenant.update({ where: { id: tenant.tenantId }, data: { limits } });
  await createModel(app, tenant.apiKey, model);
  expect((await uploadOnnx(app, tenant.apiKey, model, mlpOnnx([4, 3]))).statusCode).toBe(201);
  return tenant;
}
