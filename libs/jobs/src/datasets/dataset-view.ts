import type { Dataset } from '@maas/db';
import type { DatasetSchema } from './dataset-schema';

export function datasetView(dataset: Dataset) {
  const schema = dataset.schema as unknown as DatasetSchema;
  return {
    id: dataset.id,
    name: dataset.name,
    format: dataset.format,
    rows: dataset.rows,
    sizeBytes: Number(dataset.sizeBytes),
    labelColumn: dataset.labelColumn,
    featureColumns: schema.featureColumns,
    featureShape: schema.featureShape,
    classes: schema.classes,
    numericLabels: schema.numericLabels,
    createdAt: dataset.createdAt.toISOString(),
  };
}
