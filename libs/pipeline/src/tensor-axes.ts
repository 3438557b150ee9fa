import { TensorSpec } from '@maas/tensor';
import { ImageStep } from './pipeline-schema';

/** The axis per-channel statistics apply along: channels of an NCHW image are axis 1; otherwise the last axis. */
export function channelAxis(rank: number, image: ImageStep | undefined): number {
  return image?.layout === 'NCHW' ? 1 : rank - 1;
}

/** How many channels (or features) the input has along that axis, when the shape or the image step says. */
export function channelCount(spec: TensorSpec, image: ImageStep | undefined): number | undefined {
  if (image) return image.channels;
  const size = spec.shape[spec.shape.length - 1];
  return size === undefined || size === -1 ? undefined : size;
}

/** A statistic given once or per channel, as one value per channel. */
export function perChannel(value: number | number[] | undefined, channels: number, fallback: number): number[] {
  if (value === undefined) return Array(channels).fill(fallback);
  if (!Array.isArray(value)) return Array(channels).fill(value);
  return value.length === 1 ? Array(channels).fill(value[0]) : value;
}
