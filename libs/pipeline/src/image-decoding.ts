import sharp from 'sharp';
import { ImageStep } from './pipeline-schema';
import { PreprocessingError } from './pipeline-errors';
import { perChannel } from './tensor-axes';

/** Larger images are refused before they are decoded (a 100-megapixel bomb would take gigabytes). */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * One image's bytes (PNG, JPEG, WebP…) → float pixels of the step's size, channels and layout,
 * normalised by its mean/std when given. Decoding and resizing run in libvips' threads (sharp), not
 * on the event loop; only the final per-pixel arithmetic runs here.
 */
export async function decodeImage(input: string, bytes: Buffer, image: ImageStep): Promise<Float32Array> {
  const pixels = await resizedPixels(input, bytes, image);
  return toLayout(pixels, image);
}

async function resizedPixels(input: string, bytes: Buffer, image: ImageStep): Promise<Buffer> {
  let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
  if (image.channels === 1) pipeline = pipeline.removeAlpha().toColourspace('b-w');
  else pipeline = image.channels === 3 ? pipeline.removeAlpha().toColourspace('srgb') : pipeline.ensureAlpha().toColourspace('srgb');
  pipeline = pipeline.resize(image.width, image.height, { fit: image.fit, background: { r: 0, g: 0, b: 0, alpha: 1 } });
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.width !== image.width || info.height !== image.height || info.channels !== image.channels) {
      // fit "inside"/"outside" keep the aspect ratio, so the result may not have the model's size.
      throw new PreprocessingError(input, 'image', `resizing with fit "${image.fit}" gave ${info.width}×${info.height}×${info.channels}, the model takes ${image.width}×${image.height}×${image.channels}; use fit cover, contain or fill`);
    }
    return data;
  } catch (error) {
    if (error instanceof PreprocessingError) throw error;
    throw new PreprocessingError(input, 'image', `the bytes are not an image sharp can read (PNG, JPEG, WebP, GIF, TIFF, AVIF): ${(error as Error).message}`);
  }
}

/** HWC bytes → FP32 in the step's layout, (pixel − mean) / std per channel. */
function toLayout(pixels: Buffer, image: ImageStep): Float32Array {
  const { width, height, channels } = image;
  const mean = perChannel(image.mean, channels, 0);
  const std = perChannel(image.std, channels, 1);
  const out = new Float32Array(pixels.length);
  const plane = width * height;
  for (let pixel = 0; pixel < plane; pixel++) {
    for (let channel = 0; channel < channels; channel++) {
      const value = (pixels[pixel * channels + channel] - mean[channel]) / std[channel];
      out[image.layout === 'NHWC' ? pixel * channels + channel : channel * plane + pixel] = value;
    }
  }
  return out;
}
