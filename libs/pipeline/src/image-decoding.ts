import sharp from 'sharp';
import { ImageStep } from './pipeline-schema';
import { DecodeSlots } from './decode-slots';
import { PreprocessingError } from './pipeline-errors';

/** Larger images are refused before they are decoded (a 100-megapixel bomb would take gigabytes). */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Decodes at once. Measured (npm run bench -- pipeline, 2 cores): with sharp's default of four at
 * once (libuv's pool, each decode on as many libvips threads as cores) the event loop starved under
 * load, p99 15 ms; one at a time, 4.6 ms, for ~12% fewer images a second.
 */
let slots = new DecodeSlots(1);

/** Sets how many images decode at once (MAAS_IMAGE_DECODERS; the default leaves a core to the event loop). */
export function configureImageDecoding(decoders: number): void {
  slots = new DecodeSlots(decoders);
}

/** Per channel, pixel × a + b: the image step's own mean/std and the scale/normalize steps after it, folded. */
export interface ChannelLinear {
  a: number[];
  b: number[];
}

/*
 * Decoding and resizing run in libvips' threads (sharp), not on the event loop; the per-channel
 * arithmetic (the image's mean/std and the scale/normalize steps after it) is one pass on the
 * event loop, since sharp's `linear` rounds its result back to 8 bits.
 */

/** Decodes and resizes to HWC bytes of the step's size (libvips' threads). */
export async function resizedPixels(input: string, bytes: Buffer, image: ImageStep): Promise<Buffer> {
  let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
  if (image.channels === 1) pipeline = pipeline.removeAlpha().toColourspace('b-w');
  else pipeline = image.channels === 3 ? pipeline.removeAlpha().toColourspace('srgb') : pipeline.ensureAlpha().toColourspace('srgb');
  pipeline = pipeline.resize(image.width, image.height, { fit: image.fit, background: { r: 0, g: 0, b: 0, alpha: 1 } });
  try {
    const { data, info } = await slots.run(() => pipeline.raw().toBuffer({ resolveWithObject: true }));
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

/** HWC bytes → FP32 in the step's layout into `out` (one image's place in the batch), pixel × a + b per channel, in one pass. */
export function toLayout(pixels: Buffer, image: ImageStep, { a, b }: ChannelLinear, out: Float32Array): void {
  const { channels } = image;
  const plane = image.width * image.height;
  for (let channel = 0; channel < channels; channel++) {
    const [offset, step] = image.layout === 'NHWC' ? [channel, channels] : [channel * plane, 1];
    const [scale, shift] = [a[channel], b[channel]];
    for (let pixel = 0; pixel < plane; pixel++) out[offset + pixel * step] = pixels[pixel * channels + channel] * scale + shift;
  }
}
