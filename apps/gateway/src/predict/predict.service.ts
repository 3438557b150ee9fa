import { Injectable } from '@nestjs/common';
import type { Principal } from '@maas/identity';
import { argmax, decodeJsonRequest, InvalidTensorError, ModelSignature, sigmoid, softmax, Tensor, topK } from '@maas/tensor';
import { InferenceService } from '../inference/inference.service';
import { ResolvedVersions } from '../inference/resolved-versions';
import { PostprocessDto, PredictDto } from './dto/predict.dto';

/** The convenience API: named nested arrays in, named tensors (and optional post-processing) out. */
@Injectable()
export class PredictService {
  constructor(
    private readonly inference: InferenceService,
    private readonly resolved: ResolvedVersions,
  ) {}

  async predict(principal: Principal, modelName: string, dto: PredictDto) {
    const { version } = await this.resolved.resolve(principal.tenantId, modelName, dto.version);
    const signature = version.signature as unknown as ModelSignature;
    const request = decodeJsonRequest({
      inputs: signature.inputs.map((spec) => {
        if (!(spec.name in dto.inputs)) throw new InvalidTensorError(`missing input "${spec.name}" (${spec.datatype}, shape [${spec.shape.join(',')}])`);
        const data = dto.inputs[spec.name];
        return { name: spec.name, datatype: spec.datatype, shape: shapeOf(data), data: Array.isArray(data) ? data : [data] };
      }),
    });
    const unknown = Object.keys(dto.inputs).find((name) => !signature.inputs.some((spec) => spec.name === name));
    if (unknown) throw new InvalidTensorError(`unexpected input "${unknown}": the model's inputs are ${signature.inputs.map((spec) => `"${spec.name}"`).join(', ')}`);
    const response = await this.inference.infer(principal, modelName, dto.version, request);
    return {
      model: modelName,
      version: Number(response.model_version),
      outputs: Object.fromEntries(response.outputs.map((output) => [output.name, view(output)])),
      ...(dto.postprocess ? { postprocessed: postprocess(response.outputs, dto.postprocess) } : {}),
    };
  }
}

function shapeOf(data: unknown): number[] {
  const shape: number[] = [];
  for (let level = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}

function view(tensor: Tensor) {
  const data = Array.isArray(tensor.data) ? tensor.data.map((item) => Buffer.from(item).toString('utf8')) : Array.from(tensor.data as ArrayLike<number | bigint>, (value) => (typeof value === 'bigint' ? Number(value) : value));
  return { datatype: tensor.datatype, shape: tensor.shape, data };
}

function postprocess(outputs: Tensor[], options: PostprocessDto) {
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
