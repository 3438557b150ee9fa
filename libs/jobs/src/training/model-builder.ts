import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { FeatureScaling } from './feature-scaling';
import type { LayerSpec } from './training-spec';

/**
 * The network of a training plan as a TF.js Sequential model. Feature scaling (standardisation or
 * min-max, from the training split) is the model's first layer — a frozen dense layer over the last
 * axis with a diagonal kernel — so the saved model, and its ONNX export, take raw features.
 */
export function buildModel(layers: LayerSpec[], inputShape: number[], scaling: FeatureScaling | undefined, seed: number | undefined): tfl.Sequential {
  const model = tfl.sequential();
  let seedOffset = 0;
  const initializer = (name: string | undefined) => {
    if (seed === undefined) return name;
    // Seeded initialisers make a run reproducible on the same backend.
    const offset = seed + seedOffset++;
    return (tfl.initializers[toFactory(name ?? 'glorotUniform')] as (config: object) => unknown)({ seed: offset });
  };
  if (scaling) {
    const width = inputShape[inputShape.length - 1];
    const scaler = tfl.layers.dense({ units: width, inputShape, trainable: false, name: 'feature_scaling' });
    model.add(scaler);
    tf.tidy(() => scaler.setWeights([tf.diag(tf.tensor1d(scaling.multiply)), tf.tensor1d(scaling.add)]));
  }
  for (const [index, layer] of layers.entries()) {
    const first = index === 0 && !scaling ? { inputShape } : {};
    model.add(toLayer(layer, first, initializer, seed === undefined ? undefined : seed + 1_000 + index));
  }
  return model;
}

function toLayer(layer: LayerSpec, first: { inputShape?: number[] }, initializer: (name: string | undefined) => unknown, dropoutSeed: number | undefined): tfl.layers.Layer {
  switch (layer.type) {
    case 'dense':
      return tfl.layers.dense({ ...first, units: layer.units, activation: layer.activation, useBias: layer.useBias, kernelInitializer: initializer(layer.kernelInitializer) as never });
    case 'dropout':
      return tfl.layers.dropout({ ...first, rate: layer.rate, seed: dropoutSeed });
    case 'batchNormalization':
      return tfl.layers.batchNormalization({ ...first, momentum: layer.momentum });
    case 'flatten':
      return tfl.layers.flatten(first);
    case 'conv2d':
      return tfl.layers.conv2d({ ...first, filters: layer.filters, kernelSize: layer.kernelSize, strides: layer.strides, padding: layer.padding, activation: layer.activation, kernelInitializer: initializer(layer.kernelInitializer) as never });
    case 'maxPooling2d':
      return tfl.layers.maxPooling2d({ ...first, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'lstm':
      return tfl.layers.lstm({ ...first, units: layer.units, returnSequences: layer.returnSequences, activation: layer.activation, kernelInitializer: initializer(layer.kernelInitializer) as never });
    case 'gru':
      return tfl.layers.gru({ ...first, units: layer.units, returnSequences: layer.returnSequences, activation: layer.activation, kernelInitializer: initializer(layer.kernelInitializer) as never });
  }
}

/** `glorotUniform` → the factory name in `tf.initializers` (the same, spelled for functions). */
function toFactory(name: string): keyof typeof tfl.initializers {
  return name as keyof typeof tfl.initializers;
}

export function optimizerFor(name: string, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default:
      return tf.train.adam(learningRate);
  }
}
