/**
 * A check of an LMDB data file (`data.mdb`) before lmdb-js maps it. Why: lmdb-js does not
 * survive a bad file, it crashes the process (SIGSEGV on a file that is not LMDB, SIGBUS on a
 * truncated one), so a fleet would die on a damaged disk instead of reporting it.
 *
 * It reads the two meta pages (offsets of lmdb-js 3's LMDB, 64-bit: a 24-byte page header, then
 * the magic number, the version, the page size in the free-list DB's pad field, and the last
 * page and transaction id) and checks that the newest meta's pages all lie within the file.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const MAGIC = 0xbeefc0de;
const MAGIC_AT = 24;
const PAGE_SIZE_AT = 48;
const LAST_PAGE_AT = 144;
const TXN_ID_AT = 152;
const META_BYTES = 160;

const readAt = (fd: number, position: number): Buffer => {
  const buf = Buffer.alloc(META_BYTES);
  const n = readSync(fd, buf, 0, META_BYTES, position);
  return buf.subarray(0, n);
};

/**
 * Why the data file at `file` cannot be opened safely, or `undefined` when it can (or does not
 * exist yet, or is empty: LMDB then creates the environment).
 */
export const dataFileProblem = (file: string): string | undefined => {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    // Missing: a new environment. Any other failure is for LMDB's own open to report.
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    const first = readAt(fd, 0);
    if (first.length < META_BYTES)
      return `${file} is too short (${size} bytes) for an LMDB meta page`;
    if (first.readUInt32LE(MAGIC_AT) !== MAGIC) return `${file} is not an LMDB data file`;
    const pageSize = first.readUInt32LE(PAGE_SIZE_AT);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
      return `${file} has an impossible page size ${pageSize}`;
    const second = readAt(fd, pageSize);
    if (second.length < META_BYTES || second.readUInt32LE(MAGIC_AT) !== MAGIC)
      return `${file} is truncated or damaged: its second meta page is missing`;
    const newest =
      second.readBigUInt64LE(TXN_ID_AT) > first.readBigUInt64LE(TXN_ID_AT) ? second : first;
    const needed = (Number(newest.readBigUInt64LE(LAST_PAGE_AT)) + 1) * pageSize;
    if (size < needed)
      return `${file} is truncated: ${size} bytes, its last transaction needs ${needed}`;
    return undefined;
  } finally {
    closeSync(fd);
  }
};
