export { createHttpApp } from './bootstrap/create-http-app';
export { runService } from './bootstrap/run-service';
export type { ServiceOptions } from './bootstrap/service-root.module';
export { DomainError, type ErrorKind } from '@maas/errors';
export { toErrorResponse } from './errors/error-response';
export { UuidParam } from './http/uuid-param.decorator';
export { RAW_BODY_TYPES, DATASET_BODY_TYPES } from './http/raw-bodies';
export { AcceptsUntypedBody } from './http/untyped-bodies';
export { MultipartUploads } from './http/multipart-uploads';
