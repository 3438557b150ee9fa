import { once } from 'node:events';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { InvalidDatasetError } from './dataset-errors';
import { DatasetExamples, DatasetFormat, DatasetSchema, MAX_CLASSES } from './dataset-schema';
import type { ExampleEncoder } from './example-encoding';
import { LabelTally } from './label-tally';

export interface ReadOptions {
  format: DatasetFormat;
  labelColumn: string;
  /** Keep the examples (training) or only check them and record the schema (upload). */
  collect: boolean;
  /** Also encodes every example as it is read (the upload stores them parsed); reading waits for it. */
  encoder?: ExampleEncoder;
}

/**
 * Reads a CSV (header row) or JSON-lines dataset as it streams, checking every row: ragged rows,
 * values that are not numbers, a missing label, shapes that change, an empty file — each a 400
 * naming the line and column. Returns the schema, and the examples when asked to collect them.
 */
export async function readDataset(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ReadOptions): Promise<DatasetExamples> {
  const sink = new ExampleSink(options.collect, options.encoder);
  const shape = options.format === 'csv' ? await readCsv(source, options.labelColumn, sink) : await readJsonLines(source, options.labelColumn, sink);
  if (sink.rows === 0) throw new InvalidDatasetError('the dataset has no rows: send a header row and at least one row of values');
  const schema: DatasetSchema = { format: options.format, labelColumn: options.labelColumn, ...shape, numericLabels: sink.labels.allNumeric, classes: sink.labels.classes(MAX_CLASSES), rows: sink.rows };
  return { schema, features: Float32Array.from(sink.features), labels: sink.labelValues };
}

class ExampleSink {
  rows = 0;
  readonly features: number[] = [];
  readonly labelValues: Array<string | number> = [];
  readonly labels = new LabelTally();

  constructor(
    private readonly collect: boolean,
    private readonly encoder?: ExampleEncoder,
  ) {}

  /** A promise when the encoder's reader lags: the caller waits before reading on. */
  add(features: number[], label: string | number): Promise<unknown> | undefined {
    this.rows++;
    this.labels.add(label);
    const lagging = this.encoder && !this.encoder.add(features, label) ? once(this.encoder.stream, 'drain') : undefined;
    if (!this.collect) return lagging;
    for (const value of features) this.features.push(value);
    this.labelValues.push(label);
    return lagging;
  }
}

async function readCsv(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, labelColumn: string, sink: ExampleSink) {
  const parser = Readable.from(source).pipe(parse({ relax_column_count: true, skip_empty_lines: true, trim: true, info: true, bom: true }));
  let header: string[] | undefined;
  let labelIndex = -1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record;
        labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) throw new InvalidDatasetError(`line 1: the header has no label column "${labelColumn}" (columns: ${header.join(', ')}); name it with ?labelColumn=`);
        if (header.length < 2) throw new InvalidDatasetError('line 1: the header needs at least one feature column besides the label');
        continue;
      }
      await sink.add(...csvExample(record, header, labelIndex, info.lines));
    }
  } catch (error) {
    if (error instanceof InvalidDatasetError) throw error;
    throw new InvalidDatasetError(`the CSV cannot be parsed: ${(error as Error).message}`);
  }
  if (!header) throw new InvalidDatasetError('the dataset is empty: send a header row and at least one row of values');
  const featureColumns = header.filter((_, index) => index !== labelIndex);
  return { featureColumns, featureShape: [featureColumns.length] };
}

function csvExample(record: string[], header: string[], labelIndex: number, line: number): [number[], string | number] {
  if (record.length !== header.length) throw new InvalidDatasetError(`line ${line}: ${record.length} values, but the header has ${header.length} columns`);
  const features: number[] = [];
  record.forEach((text, index) => {
    if (index === labelIndex) return;
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new InvalidDatasetError(`line ${line}, column "${header[index]}": "${text.slice(0, 40)}" is not a number`);
    features.push(value);
  });
  const labelText = record[labelIndex];
  if (labelText === '') throw new InvalidDatasetError(`line ${line}, column "${header[labelIndex]}": the label is empty`);
  const numeric = Number(labelText);
  return [features, Number.isFinite(numeric) ? numeric : labelText];
}

async function readJsonLines(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, labelColumn: string, sink: ExampleSink) {
  const lines = createInterface({ input: Readable.from(source), crlfDelay: Infinity });
  let layout: JsonLayout | undefined;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new InvalidDatasetError(`line ${lineNumber}: not JSON (${(error as Error).message})`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new InvalidDatasetError(`line ${lineNumber}: each line must be one JSON object`);
    layout ??= jsonLayout(row as Record<string, unknown>, labelColumn, lineNumber);
    await sink.add(...jsonExample(row as Record<string, unknown>, layout, lineNumber));
  }
  if (!layout) throw new InvalidDatasetError('the dataset is empty: send one JSON object per line');
  return { featureColumns: layout.keys, featureShape: layout.shape };
}

interface JsonLayout {
  labelColumn: string;
  keys: string[];
  /** Set when the features are one key holding a nested array of this shape. */
  nested: boolean;
  shape: number[];
}

function jsonLayout(row: Record<string, unknown>, labelColumn: string, line: number): JsonLayout {
  if (!(labelColumn in row)) throw new InvalidDatasetError(`line ${line}: no label key "${labelColumn}" (keys: ${Object.keys(row).join(', ')}); name it with ?labelColumn=`);
  const keys = Object.keys(row).filter((key) => key !== labelColumn);
  if (keys.length === 0) throw new InvalidDatasetError(`line ${line}: no feature keys besides the label "${labelColumn}"`);
  const nestedKeys = keys.filter((key) => Array.isArray(row[key]));
  if (nestedKeys.length > 0 && keys.length > 1) throw new InvalidDatasetError(`line ${line}: key "${nestedKeys[0]}" holds an array, so it must be the only feature key (found ${keys.join(', ')})`);
  if (nestedKeys.length === 1) return { labelColumn, keys, nested: true, shape: shapeOf(row[keys[0]], `line ${line}, key "${keys[0]}"`) };
  return { labelColumn, keys, nested: false, shape: [keys.length] };
}

function jsonExample(row: Record<string, unknown>, layout: JsonLayout, line: number): [number[], string | number] {
  const label = row[layout.labelColumn];
  if (typeof label !== 'number' && typeof label !== 'string') throw new InvalidDatasetError(`line ${line}, key "${layout.labelColumn}": the label must be a number or a string`);
  if (typeof label === 'number' && !Number.isFinite(label)) throw new InvalidDatasetError(`line ${line}, key "${layout.labelColumn}": the label must be a finite number`);
  const keys = Object.keys(row).filter((key) => key !== layout.labelColumn);
  if (keys.length !== layout.keys.length || keys.some((key) => !layout.keys.includes(key))) throw new InvalidDatasetError(`line ${line}: keys ${keys.join(', ')} differ from the first line's ${layout.keys.join(', ')}`);
  if (!layout.nested) return [layout.keys.map((key) => numberAt(row[key], `line ${line}, key "${key}"`)), label];
  const where = `line ${line}, key "${layout.keys[0]}"`;
  const shape = shapeOf(row[layout.keys[0]], where);
  if (shape.join('x') !== layout.shape.join('x')) throw new InvalidDatasetError(`${where}: shape [${shape.join(', ')}] differs from the first line's [${layout.shape.join(', ')}]`);
  const features: number[] = [];
  flatten(row[layout.keys[0]], features, where);
  return [features, label];
}

function numberAt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidDatasetError(`${where}: ${JSON.stringify(value)?.slice(0, 40)} is not a number`);
  return value;
}

/** The shape of a nested array, which must be rectangular (checked fully by `flatten`). */
function shapeOf(value: unknown, where: string): number[] {
  const shape: number[] = [];
  for (let current = value; Array.isArray(current); current = current[0]) {
    if (current.length === 0) throw new InvalidDatasetError(`${where}: an empty array`);
    shape.push(current.length);
  }
  return shape;
}

function flatten(value: unknown, into: number[], where: string, depth = 0, shape = shapeOf(value, where)): void {
  if (depth === shape.length) return void into.push(numberAt(value, where));
  if (!Array.isArray(value) || value.length !== shape[depth]) throw new InvalidDatasetError(`${where}: the nested array is ragged (expected ${shape[depth]} items at depth ${depth + 1})`);
  for (const item of value) flatten(item, into, where, depth + 1, shape);
}
