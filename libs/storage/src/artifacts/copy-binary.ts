import { InvalidCopyDataError } from './copy-binary-error';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags field and header-extension length. */
const HEADER_BYTES = SIGNATURE.byteLength + 8;

export type CopyRow = Array<Buffer | null>;

/**
 * Rows of PostgreSQL's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`) as they stream in:
 * each field's raw bytes, without the text protocol's hex encoding of bytea (half the bytes, no
 * decoding). Pieces may split rows anywhere: a field that arrived in one piece is a view into it,
 * one that spans pieces is copied once.
 */
export async function* binaryCopyRows(source: AsyncIterable<Buffer>): AsyncGenerator<CopyRow> {
  const reader = new CopyReader();
  let ended = false;
  for await (const piece of source) {
    reader.append(piece);
    for (let row = reader.nextRow(); row !== undefined; row = reader.nextRow()) {
      if (row === null) {
        ended = true;
        break;
      }
      yield row;
    }
  }
  if (!ended) throw new InvalidCopyDataError('the data ended before the end-of-rows marker');
}

/**
 * Reads the format step by step as bytes arrive; a row is handed out once all its fields are in.
 * (pg-copy-streams passes on socket reads, not whole rows: a 1 MiB row arrives in many pieces.)
 */
class CopyReader {
  private readonly bytes = new ByteQueue();
  private headerRead = false;
  private extensionBytes: number | undefined;
  private row: CopyRow | undefined;
  private fieldsLeft = 0;
  private fieldLength: number | undefined;

  append(piece: Buffer): void {
    this.bytes.push(piece);
  }

  /** The next whole row, `null` at the end-of-rows marker, `undefined` when more bytes are needed. */
  nextRow(): CopyRow | null | undefined {
    if (!this.headerRead && !this.readHeader()) return undefined;
    if (!this.row) {
      if (this.bytes.length < 2) return undefined;
      const fields = this.bytes.take(2).readInt16BE(0);
      if (fields === -1) return null;
      this.row = [];
      this.fieldsLeft = fields;
    }
    while (this.fieldsLeft > 0) {
      if (this.fieldLength === undefined) {
        if (this.bytes.length < 4) return undefined;
        this.fieldLength = this.bytes.take(4).readInt32BE(0);
      }
      if (this.fieldLength === -1) {
        this.row.push(null);
      } else {
        if (this.bytes.length < this.fieldLength) return undefined;
        this.row.push(this.bytes.take(this.fieldLength));
      }
      this.fieldLength = undefined;
      this.fieldsLeft--;
    }
    const row = this.row;
    this.row = undefined;
    return row;
  }

  private readHeader(): boolean {
    if (this.extensionBytes === undefined) {
      if (this.bytes.length < HEADER_BYTES) return false;
      const header = this.bytes.take(HEADER_BYTES);
      if (!header.subarray(0, SIGNATURE.byteLength).equals(SIGNATURE)) throw new InvalidCopyDataError('missing PGCOPY signature');
      this.extensionBytes = header.readInt32BE(SIGNATURE.byteLength + 4);
    }
    if (this.bytes.length < this.extensionBytes) return false;
    this.bytes.take(this.extensionBytes);
    this.headerRead = true;
    return true;
  }
}

/** Received pieces, consumed from the front: a run that lies in one piece is a view, else one copy. */
class ByteQueue {
  private readonly pieces: Buffer[] = [];
  private offset = 0;
  length = 0;

  push(piece: Buffer): void {
    this.pieces.push(piece);
    this.length += piece.byteLength;
  }

  take(count: number): Buffer {
    this.length -= count;
    const first = this.pieces[0];
    if (first && first.byteLength - this.offset >= count) return this.advance(first, count);
    const out = Buffer.allocUnsafe(count);
    for (let filled = 0; filled < count; ) {
      const piece = this.pieces[0]!;
      const taken = Math.min(count - filled, piece.byteLength - this.offset);
      piece.copy(out, filled, this.offset, this.offset + taken);
      filled += taken;
      this.advance(piece, taken);
    }
    return out;
  }

  private advance(piece: Buffer, count: number): Buffer {
    const view = piece.subarray(this.offset, this.offset + count);
    this.offset += count;
    if (this.offset === piece.byteLength) {
      this.pieces.shift();
      this.offset = 0;
    }
    return view;
  }
}
