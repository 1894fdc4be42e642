// JSON lines of table rows, one JSON array per row in the manifest's column order (arrays, not
// objects: half the bytes and a faster parse for a million messages). Blobs travel as {"$b": base64}.
// Written and read synchronously in the archive worker, a megabyte at a time, hashing as it goes,
// so no table is ever held in memory whole.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CellValue, FileEntry } from './format';

const FLUSH_AT = 1 << 20;

export function encodeCell(v: unknown): CellValue {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return { $b: v.toString('base64') };
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`a value of type ${typeof v} cannot be archived`);
}

export function decodeCell(v: unknown): null | number | string | Buffer {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && '$b' in v && typeof (v as { $b: unknown }).$b === 'string') return Buffer.from((v as { $b: string }).$b, 'base64');
  throw new Error('a cell is neither null, a number, a string nor a blob');
}

export class JsonlWriter {
  readonly #fd: number;
  readonly #hash: Hash = createHash('sha256');
  #parts: string[] = [];
  #pending = 0;
  bytes = 0;
  rows = 0;

  constructor(
    readonly absPath: string,
    readonly relPath: string,
  ) {
    mkdirSync(dirname(absPath), { recursive: true });
    this.#fd = openSync(absPath, 'w', 0o600);
  }

  /** One row as raw values in column order. */
  row(values: readonly unknown[]): void {
    // Most rows are strings, numbers and nulls only: one native stringify of the array. A blob
    // (or a big integer) takes the cell-by-cell path.
    let plain = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null && typeof v === 'object') {
        plain = false;
        break;
      }
      if (typeof v === 'bigint') {
        plain = false;
        break;
      }
    }
    const line = (plain ? JSON.stringify(values) : JSON.stringify(values.map(encodeCell))) + '\n';
    this.#parts.push(line);
    this.#pending += line.length;
    this.rows++;
    if (this.#pending >= FLUSH_AT) this.#flush();
  }

  #flush(): void {
    if (this.#parts.length === 0) return;
    const buf = Buffer.from(this.#parts.join(''), 'utf8');
    this.#parts = [];
    this.#pending = 0;
    this.#hash.update(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(this.#fd, buf, off);
    this.bytes += buf.length;
  }

  close(): FileEntry {
    this.#flush();
    closeSync(this.#fd);
    return { path: this.relPath, bytes: this.bytes, sha256: this.#hash.digest('hex') };
  }
}

/** Each line of a file, in order, read a megabyte at a time (bytes are split at newlines before
 * decoding, so a character is never cut in two, however long its line). */
export function* readLines(absPath: string): Generator<string> {
  const fd = openSync(absPath, 'r');
  try {
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(FLUSH_AT);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const lastNl = buf.lastIndexOf(10);
      if (lastNl < 0) {
        rest = buf;
        continue;
      }
      rest = Buffer.from(buf.subarray(lastNl + 1));
      for (const line of buf.toString('utf8', 0, lastNl).split('\n')) if (line.length > 0) yield line;
    }
    if (rest.length > 0) yield rest.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
