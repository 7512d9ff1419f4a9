// Reads Parquet files with two readers independent of the Go code that
// wrote them, hyparquet (pure JavaScript) and DuckDB (C++, through
// @duckdb/node-api), and prints one JSON line per file and reader:
//   {"reader", "file", "columns": [names], "rows": [[cell, ...], ...]}
// or {"reader", "file", "error"} when a reader fails. Cells are canonical so
// that Go can compare them with the Arrow file of the same table:
// null; true/false; "i:<decimal>" for integers; "f:<16 hex digits>" (the
// IEEE 754 bits) or "f:NaN" for floats; "s:<text>" for strings; an array
// of cells for a list.
//
// Usage: node read.mjs FILE.parquet...   (run by TestParquetReaders)
import { readFileSync } from 'node:fs';
import { parquetRead } from 'hyparquet';
import { DuckDBInstance } from '@duckdb/node-api';

function cell(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return 'i:' + v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'f:NaN';
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v);
    return 'f:' + dv.getBigUint64(0).toString(16).padStart(16, '0');
  }
  if (typeof v === 'string') return 's:' + v;
  if (Array.isArray(v)) return v.map(cell);
  if (v && Array.isArray(v.items)) return v.items.map(cell); // DuckDBListValue
  throw new Error('unexpected value ' + String(v) + ' of type ' + typeof v);
}

async function readHyparquet(path) {
  const b = readFileSync(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  let rows;
  let columns;
  await parquetRead({
    file,
    rowFormat: 'array',
    onComplete: (r) => { rows = r; },
  });
  const { parquetMetadata } = await import('hyparquet');
  const md = parquetMetadata(file);
  columns = md.schema.filter((s, i) => i > 0 && isTopLevel(md.schema, i)).map((s) => s.name);
  return { columns, rows: rows.map((r) => r.map(cell)) };
}

// isTopLevel reports whether schema element i is a direct child of the root.
function isTopLevel(schema, i) {
  let j = 1;
  while (j < schema.length) {
    if (j === i) return true;
    j = skip(schema, j);
  }
  return false;
}

// skip returns the index after element j and all its descendants.
function skip(schema, j) {
  const n = schema[j].num_children || 0;
  let k = j + 1;
  for (let c = 0; c < n; c++) k = skip(schema, k);
  return k;
}

async function readDuckDB(conn, path) {
  const quoted = "'" + path.replaceAll("'", "''") + "'";
  const r = await conn.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`);
  return { columns: r.columnNames(), rows: r.getRows().map((row) => row.map(cell)) };
}

const files = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const conn = await instance.connect();
const readers = [
  ['hyparquet', readHyparquet],
  ['duckdb', (p) => readDuckDB(conn, p)],
];
for (const file of files) {
  for (const [reader, read] of readers) {
    let out;
    try {
      out = { reader, file, ...(await read(file)) };
    } catch (e) {
      out = { reader, file, error: String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}
