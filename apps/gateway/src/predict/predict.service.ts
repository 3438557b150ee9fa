import { Injectable } from '@nestjs/common';
import type { Principal } from '@maas/identity';
import { AppConfig } from '@maas/config';
import { configureImageDecoding, Pipeline, Postprocess, predictionsOf, preprocessInput, StepTiming } from '@maas/pipeline';
import { argmax, decodeJsonData, InvalidTensorError, nestedShape, ModelSignature, sigmoid, softmax, Tensor, TensorSpec, topK } from '@maas/tensor';
import { InferenceService } from '../inference/inference.service';
import { ResolvedVersions } from '../inference/resolved-versions';
import type { PredictRequest } from './predict-request';

/**
 * The convenience API, KServe's transformer in-process: named inputs through the version's pipeline
 * (pre-processing per input), one inference, then post-processing into predictions per row.
 */
@Injectable()
export class PredictService {
  constructor(
    private readonly inference: InferenceService,
    private readonly resolved: ResolvedVersions,
    config: AppConfig,
  ) {
    configureImageDecoding(config.imageDecoders);
  }

  async predict(principal: Principal, modelName: string, request: PredictRequest): Promise<{ response: Record<string, unknown>; timings: StepTiming[] }> {
    const { version } = await this.resolved.resolve(principal.tenantId, modelName, request.version);
    const signature = version.signature as unknown as ModelSignature;
    const pipeline = version.pipeline as Pipeline | null;
    const timings: StepTiming[] = [];
    const inputs = await Promise.all(signature.inputs.map((spec) => inputTensor(spec, request.inputs, pipeline, timings)));
    const unknown = Object.keys(request.inputs).find((name) => !signature.inputs.some((spec) => spec.name === name));
    if (unknown) throw new InvalidTensorError(`unexpected input "${unknown}": the model's inputs are ${signature.inputs.map((spec) => `"${spec.name}"`).join(', ')}`);
    const inferStarted = performance.now();
    // The version resolved above, by number: the pipeline applied is the one of the version that runs.
    const response = await this.inference.infer(principal, modelName, String(version.number), { inputs });
    timings.push({ step: 'infer', ms: performance.now() - inferStarted });
    const postprocessStarted = performance.now();
    const postprocess = effectivePostprocess(pipeline?.postprocess, request.postprocess);
    const { output, predictions } = predictionsOf(response.outputs, postprocess);
    const body = {
      model: modelName,
      version: version.number,
      outputs: Object.fromEntries(response.outputs.map((tensor) => [tensor.name, view(tensor)])),
      predictions,
      predictionsOf: output,
      ...(request.postprocess ? { postprocessed: postprocessed(response.outputs, request.postprocess) } : {}),
    };
    timings.push({ step: 'postprocess', ms: performance.now() - postprocessStarted });
    return { response: body, timings };
  }
}

/** A request's postprocess overrides the version's field by field (the stored labels stay unless it sends its own). */
function effectivePostprocess(stored: Postprocess | undefined, requested: Postprocess | undefined): Postprocess | undefined {
  if (!requested) return stored;
  return { ...stored, ...requested };
}

async function inputTensor(spec: TensorSpec, inputs: Record<string, unknown>, pipeline: Pipeline | null, timings: StepTiming[]): Promise<Tensor> {
  if (!(spec.name in inputs)) throw new InvalidTensorError(`missing input "${spec.name}" (${spec.datatype}, shape [${spec.shape.join(',')}])`);
  const value = inputs[spec.name];
  const steps = pipeline?.preprocess[spec.name];
  if (steps) return preprocessInput(spec, value, steps, timings);
  const shape = nestedShape(value);
  return { name: spec.name, datatype: spec.datatype, shape, data: decodeJsonData(spec.name, spec.datatype, shape, Array.isArray(value) ? value : [value]) };
}

function view(tensor: Tensor) {
  const data = Array.isArray(tensor.data) ? tensor.data.map((item) => Buffer.from(item).toString('utf8')) : Array.from(tensor.data as ArrayLike<number | bigint>, (value) => (typeof value === 'bigint' ? Number(value) : value));
  return { datatype: tensor.datatype, shape: tensor.shape, data };
}

/** The per-request tensors of the first API (scores, argmax, top-k indices), kept for its clients. */
function postprocessed(outputs: Tensor[], options: Postprocess) {
  const target = options.output ? outputs.find((output) => output.name === options.output) : outputs[0];
  if (!target) throw new InvalidTensorError(`postprocess.output "${options.output}" is not an output of the model`);
  let scores = target;
  if (options.softmax) scores = softmax(scores);
  if (options.sigmoid) scores = sigmoid(scores);
  const result: Record<string, unknown> = { output: target.name };
  if (options.softmax || options.sigmoid) result.scores = view(scores);
  if (options.argmax) result.argmax = view(argmax(scores));
  if (options.topk) {
    const { values, indices } = topK(scores, options.topk);
    result.topk = { values: view(values), indices: view(indices) };
  }
  return result;
}
