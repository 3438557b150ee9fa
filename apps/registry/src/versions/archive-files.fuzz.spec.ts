import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArtifactTooLargeError } from '@maas/storage';
import { expectClientErrorOrResolved, fuzz } from '../../../../test/support/fuzz';
import { filesFromArchive } from './archive-files';

const LIMIT = 1024 * 1024;
const ZIP_MAGIC = Uint8Array.from([0x50, 0x4b, 0x03, 0x04]);

/** A ustar header block with a random name and size field, followed by random content. */
function tarLike(name: string, sizeField: string, content: Uint8Array): Uint8Array {
  const header = Buffer.alloc(512);
  header.write(name.slice(0, 100), 0, 'latin1');
  header.write(sizeField.slice(0, 11), 124, 'latin1');
  header.write('ustar', 257, 'latin1');
  return Buffer.concat([header, content]);
}

const files = fc.dictionary(fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?\.(json|bin)$/), fc.uint8Array({ maxLength: 64 }), { minKeys: 1, maxKeys: 4 });

describe('upload archives under fuzzing (seeded; refusals must be 400s)', () => {
  it('reads or refuses random bytes that start like a .zip', async () => {
    await fuzz(fc.uint8Array({ maxLength: 200 }), async (tail) => {
      await expectClientErrorOrResolved(() => filesFromArchive(Buffer.concat([ZIP_MAGIC, tail]), LIMIT));
    });
  });

  it('reads or refuses random bytes that look like a .tar', async () => {
    await fuzz(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 11 }), fc.uint8Array({ maxLength: 1200 })), async ([name, size, content]) => {
      await expectClientErrorOrResolved(() => filesFromArchive(tarLike(name, size, content), LIMIT));
    }, 0.5);
  });

  it('reads a valid .zip back file for file, and a corrupted one as those files or a 400', async () => {
    await fuzz(fc.tuple(files, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })), async ([entries, corruptions]) => {
      const archive = zipSync(Object.fromEntries(Object.entries(entries)));
      if (corruptions.length === 0) {
        const read = await filesFromArchive(archive, LIMIT);
        expect(Object.fromEntries([...read].map(([name, data]) => [name, Buffer.from(data).toString('hex')]))).toEqual(Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, Buffer.from(data).toString('hex')])));
        return;
      }
      for (const [position, value] of corruptions) archive[4 + (position % Math.max(1, archive.length - 4))] = value;
      await expectClientErrorOrResolved(() => filesFromArchive(archive, LIMIT));
    }, 0.5);
  });

  it('refuses a zip bomb before inflating it', async () => {
    const bomb = zipSync({ 'weights.bin': new Uint8Array(8 * LIMIT) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(LIMIT / 8);
    await expect(filesFromArchive(bomb, LIMIT)).rejects.toBeInstanceOf(ArtifactTooLargeError);
  });
});
