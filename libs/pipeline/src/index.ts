export { pipelineSchema, postprocessSchema, isClassifier, type Pipeline, type Postprocess, type PreprocessStep, type ImageStep } from './pipeline-schema';
export { parsePipeline } from './pipeline-fit';
export { InvalidPipelineError, PreprocessingError } from './pipeline-errors';
export { preprocessInput, preprocessNumbers, type StepTiming } from './preprocess';
export { configureImageDecoding } from './image-decoding';
export { predictionsOf, scoresOf, targetOutput, type Prediction, type Predictions, type LabelScore } from './predictions';
