export * from './model-format';
export { InvalidModelError } from './runtime-errors';
export { createOnnxSession, type Device, type OnnxSession } from './onnx/onnx-session';
export { onnxSignature } from './onnx/onnx-signature';
export { tfjsBackend, type TfjsBackendName } from './tfjs/tfjs-backend';
export { encodeTfjsBundle, decodeTfjsBundle, partsFromModelFiles, isTfjsBundle, type TfjsModelParts } from './tfjs/tfjs-bundle';
export { loadTfjsModel, tfjsSignature } from './tfjs/tfjs-model';
export { inspectModel, type ModelInspection } from './validation/inspect-model';
export { ChildProcessInspection } from './validation/inspect-in-child-process';
