import { InvalidCopyDataError } from './copy-binary-error';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Rows of PostgreSQL's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`): each field's raw
 * bytes, without the text protocol's hex encoding of bytea (half the bytes, no decoding).
 */
export function parseBinaryCopy(data: Buffer): Array<Array<Buffer | null>> {
  if (data.byteLength < 19 || !data.subarray(0, 11).equals(SIGNATURE)) throw new InvalidCopyDataError('missing PGCOPY signature');
  let offset = 15;
  offset += 4 + data.readInt32BE(offset);
  const rows: Array<Array<Buffer | null>> = [];
  for (;;) {
    const fields = data.readInt16BE(offset);
    offset += 2;
    if (fields === -1) return rows;
    const row: Array<Buffer | null> = [];
    for (let field = 0; field < fields; field++) {
      const length = data.readInt32BE(offset);
      offset += 4;
      if (length === -1) {
        row.push(null);
        continue;
      }
      row.push(data.subarray(offset, offset + length));
      offset += length;
    }
    rows.push(row);
  }
}
