/**
 * An image file as the values of an image-shaped input: decoded by the browser, resized to the
 * input's height and width on a canvas, channels 1 (grey) or 3 (RGB), scaled to 0–1, laid out
 * NHWC (`[n, h, w, c]`) or NCHW (`[n, c, h, w]`) as the signature says.
 */
export interface ImageLayout {
  layout: 'NHWC' | 'NCHW';
  height: number;
  width: number;
  channels: 1 | 3;
}

/** The layout of a 4-D input whose channel axis (last, or second) holds 1 or 3, with fixed height and width. */
export function imageLayout(shape: number[]): ImageLayout | undefined {
  if (shape.length !== 4) return undefined;
  const [, a, b, c] = shape;
  if ((c === 1 || c === 3) && a > 0 && b > 0) return { layout: 'NHWC', height: a, width: b, channels: c };
  if ((a === 1 || a === 3) && b > 0 && c > 0) return { layout: 'NCHW', height: b, width: c, channels: a };
  return undefined;
}

export async function imageToTensor(file: Blob, layout: ImageLayout): Promise<number[][][][]> {
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(layout.width, layout.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0, layout.width, layout.height);
  const { data } = context.getImageData(0, 0, layout.width, layout.height);
  const value = (y: number, x: number, channel: number) => {
    const offset = (y * layout.width + x) * 4;
    return layout.channels === 1 ? (0.299 * data[offset] + 0.587 * data[offset + 1] + 0.114 * data[offset + 2]) / 255 : data[offset + channel] / 255;
  };
  const rows = (channel: number) => Array.from({ length: layout.height }, (_, y) => Array.from({ length: layout.width }, (_, x) => value(y, x, channel)));
  if (layout.layout === 'NCHW') return [Array.from({ length: layout.channels }, (_, channel) => rows(channel))];
  return [Array.from({ length: layout.height }, (_, y) => Array.from({ length: layout.width }, (_, x) => Array.from({ length: layout.channels }, (_, channel) => value(y, x, channel))))];
}
