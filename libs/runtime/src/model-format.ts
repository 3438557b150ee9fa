/** How a version's artifact is stored and served. */
export const MODEL_FORMATS = ['onnx', 'tfjs'] as const;

export type ModelFormat = (typeof MODEL_FORMATS)[number];

export function isModelFormat(value: unknown): value is ModelFormat {
  return typeof value === 'string' && (MODEL_FORMATS as readonly string[]).includes(value);
}

/** KServe `platform` names in model metadata. */
export const PLATFORM_OF_FORMAT: Record<ModelFormat, string> = { onnx: 'onnxruntime_onnx', tfjs: 'tensorflowjs' };
