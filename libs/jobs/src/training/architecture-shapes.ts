import type { LayerSpec } from './training-spec';

export interface ResolvedArchitecture {
  /** The layers to build, the output layer included (appended when the last given one is not it). */
  layers: LayerSpec[];
  outputShape: number[];
}

const pair = (value: number | [number, number]): [number, number] => (Array.isArray(value) ? value : [value, value]);

/**
 * Follows the example shape through the layers (without the batch dimension), as TF.js would
 * build them, so a network that cannot take the dataset's examples is refused before it is
 * queued. Appends the output layer — softmax over the classes, or one linear unit — unless the
 * last given layer is a dense layer of that size already. Problems are added to `problems`.
 */
export function resolveArchitecture(given: LayerSpec[], inputShape: number[], outputSize: number, task: 'classification' | 'regression', problems: string[]): ResolvedArchitecture {
  let shape = inputShape;
  for (const [index, layer] of given.entries()) {
    const next = outputShapeOf(layer, shape);
    if (typeof next === 'string') {
      problems.push(`architecture.layers[${index}] (${layer.type}): ${next}`);
      return { layers: given, outputShape: shape };
    }
    shape = next;
  }
  const last = given[given.length - 1];
  const isOutput = last?.type === 'dense' && last.units === outputSize && shape.length === 1;
  const outputActivation = task === 'classification' ? 'softmax' : 'linear';
  const layers: LayerSpec[] = isOutput ? [...given.slice(0, -1), { ...last, activation: last.activation ?? outputActivation }] : [...given, { type: 'dense', units: outputSize, activation: outputActivation }];
  if (shape.length !== 1) problems.push(`the network's last layer gives examples of shape [${shape.join(', ')}]: add a flatten layer (or an lstm/gru without returnSequences) before the output`);
  return { layers, outputShape: [outputSize] };
}

function outputShapeOf(layer: LayerSpec, shape: number[]): number[] | string {
  switch (layer.type) {
    case 'dense':
      return [...shape.slice(0, -1), layer.units];
    case 'dropout':
    case 'batchNormalization':
      return shape;
    case 'flatten':
      return [shape.reduce((product, dimension) => product * dimension, 1)];
    case 'conv2d':
    case 'maxPooling2d':
      return spatialShape(layer, shape);
    case 'lstm':
    case 'gru':
      if (shape.length !== 2) return `needs sequences of shape [timesteps, features]; its input is [${shape.join(', ')}]`;
      return layer.returnSequences ? [shape[0], layer.units] : [layer.units];
  }
}

function spatialShape(layer: Extract<LayerSpec, { type: 'conv2d' | 'maxPooling2d' }>, shape: number[]): number[] | string {
  if (shape.length !== 3) return `needs images of shape [height, width, channels]; its input is [${shape.join(', ')}]`;
  const window = pair(layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize);
  const strides = pair(layer.strides ?? (layer.type === 'conv2d' ? 1 : window));
  const same = layer.padding === 'same';
  const out = [0, 1].map((axis) => (same ? Math.ceil(shape[axis] / strides[axis]) : Math.floor((shape[axis] - window[axis]) / strides[axis]) + 1));
  if (out.some((size) => size < 1)) return `a ${window.join('×')} window does not fit an input of ${shape[0]}×${shape[1]} (use padding "same" or a smaller window)`;
  return [out[0], out[1], layer.type === 'conv2d' ? layer.filters : shape[2]];
}
