import pg from 'pg';

const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;

/**
 * A pg client that reports PostgreSQL's one-byte `"char"` columns as text.
 *
 * Prisma's schema engine introspects `pg_catalog`, whose `relkind`-style columns are `"char"`
 * (OID 18); @prisma/adapter-pg has no mapping for that type and the engine then fails with
 * "Column type 'char' could not be deserialized". The values are already strings, so relabelling
 * the field type is enough. Used only for schema-engine connections, never for application queries.
 */
export class CharAsTextClient extends pg.Client {
  // pg's overloads cannot be restated one by one; the two shapes used by pg-pool and the adapter are handled.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof values === 'function') [callback, values] = [values, undefined];
    if (typeof callback === 'function') {
      const done = callback as QueryCallback;
      return super.query(config, values, (error: Error | null, result: pg.QueryResult) =>
        done(error, error ? result : relabelCharColumns(result)),
      );
    }
    return (super.query(config, values) as Promise<pg.QueryResult>).then(relabelCharColumns);
  }
}

function relabelCharColumns(result: pg.QueryResult): pg.QueryResult {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}
