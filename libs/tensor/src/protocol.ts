import type { Tensor } from './tensor';

/** A requested output; `parameters.binary_data` asks for it in the binary extension's layout. */
export interface RequestedOutput {
  name: string;
  parameters?: Record<string, unknown>;
}

export interface InferenceRequest {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: Tensor[];
  outputs?: RequestedOutput[];
}

export interface InferenceResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, unknown>;
  outputs: Tensor[];
}

/** Header of Triton's binary tensor data extension: the length of the JSON part of the body. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';
