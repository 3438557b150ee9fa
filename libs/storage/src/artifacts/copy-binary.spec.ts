import { describe, expect, it } from 'vitest';
import { binaryCopyRows, CopyRow } from './copy-binary';

/** Binary COPY data as PostgreSQL writes it: header (with an extension area), rows, end marker. */
function copyData(rows: CopyRow[], extension = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(19 + extension.byteLength);
  Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1').copy(header);
  header.writeInt32BE(extension.byteLength, 15);
  extension.copy(header, 19);
  const parts: Buffer[] = [header.subarray(0, 15), header.subarray(15)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field === null ? -1 : field.byteLength);
      parts.push(length, field ?? Buffer.alloc(0));
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

async function* inPieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.byteLength; offset += size) yield data.subarray(offset, offset + size);
}

async function parse(source: AsyncIterable<Buffer>): Promise<CopyRow[]> {
  const rows: CopyRow[] = [];
  for await (const row of binaryCopyRows(source)) rows.push(row);
  return rows;
}

describe('binaryCopyRows', () => {
  const rows: CopyRow[] = [
    [Buffer.from([0, 0, 0, 7]), Buffer.from('nonce'), Buffer.alloc(3000, 1)],
    [Buffer.from([0, 0, 0, 8]), null, Buffer.alloc(0)],
  ];
  const data = copyData(rows, Buffer.from('ext'));

  it.each([1, 2, 3, 7, 64, 4096, data.byteLength])('reads the same rows whatever the piece size (%d bytes)', async (size) => {
    expect(await parse(inPieces(data, size))).toEqual(rows);
  });

  it('fails on data that ends before the end-of-rows marker', async () => {
    await expect(parse(inPieces(data.subarray(0, data.byteLength - 2), 100))).rejects.toThrow('ended before the end-of-rows marker');
  });

  it('fails on data without the PGCOPY signature', async () => {
    await expect(parse(inPieces(Buffer.from('COPY text, not binary'), 100))).rejects.toThrow('missing PGCOPY signature');
  });
});
