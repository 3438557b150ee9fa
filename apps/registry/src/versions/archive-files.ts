import { BadRequestException } from '@nestjs/common';
import { unzipSync } from 'fflate';
import { extract } from 'tar-stream';
import { ArtifactTooLargeError } from '@maas/storage';

/**
 * The files of a .zip or .tar upload, by path; a damaged or unknown archive is a 400 saying which.
 * A .zip whose entries unpack to more than `maxBytes` in all (a zip bomb) is refused before any is
 * inflated.
 */
export async function filesFromArchive(archive: Buffer | Uint8Array, maxBytes: number): Promise<Map<string, Uint8Array>> {
  if (isZip(archive)) return unzipWithin(archive, maxBytes);
  if (isTar(archive)) return untar(archive);
  throw new BadRequestException('a TensorFlow.js upload must be multipart files, a .zip or a .tar archive');
}

function unzipWithin(archive: Uint8Array, maxBytes: number): Map<string, Uint8Array> {
  let unpackedBytes = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(archive, { filter: (entry) => (unpackedBytes += entry.originalSize) <= maxBytes });
  } catch (error) {
    throw new BadRequestException(`the .zip archive is damaged: ${(error as Error).message}`);
  }
  if (unpackedBytes > maxBytes) throw new ArtifactTooLargeError(maxBytes);
  return new Map(Object.entries(files).filter(([name]) => !name.endsWith('/')));
}

/** Regular files of a tar archive (tar-stream handles the ustar, pax and GNU variants). */
async function untar(archive: Uint8Array): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const extractor = extract();
  const done = (async () => {
    for await (const entry of extractor) {
      const parts: Buffer[] = [];
      for await (const part of entry) parts.push(part as Buffer);
      if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(parts));
    }
  })();
  extractor.end(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  await done.catch((error: Error) => {
    throw new BadRequestException(`the .tar archive is damaged: ${error.message}`);
  });
  return files;
}

const isZip = (bytes: Uint8Array) => bytes.byteLength > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
const isTar = (bytes: Uint8Array) => bytes.byteLength >= 512 && Buffer.from(bytes.buffer, bytes.byteOffset + 257, 5).toString('latin1') === 'ustar';
export const isArchive = (bytes: Uint8Array) => isZip(bytes) || isTar(bytes);

