export { RegistryModule } from './registry.module';
export { ModelRegistry } from './model-registry.service';
export { VersionUploader, type VersionUpload } from './version-uploader';
export { ModelEvents, MODEL_CHANGED_CHANNEL, type ModelChange } from './model-events';
export type { ModelFields } from './models.repository';
export * from './registry-errors';
export * from './version-reference';
