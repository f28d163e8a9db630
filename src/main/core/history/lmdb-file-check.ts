import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isErrno } from '../data-files/load-or-recover'

/** What a look at an lmdb data file's meta pages found, before lmdb itself maps it. */
export type LmdbFileCheck = { kind: 'absent' } | { kind: 'sound' } | { kind: 'damaged'; reason: string }

// The layout of lmdb 3.5's data file (dependencies/lmdb/libraries/liblmdb/mdb.c in the lmdb package), little-endian:
// pages 0 and 1 are meta pages, each a 24-byte page header then an MDB_meta.
const PAGE_HEADER = 24
const P_META = 0x08
const MDB_MAGIC = 0xbeefc0de
const MDB_DATA_VERSION = 2
const META = {
  pgno: 0,
  flags: 18,
  magic: PAGE_HEADER,
  version: PAGE_HEADER + 4,
  /** mm_dbs[0].md_pad holds the page size. */
  pageSize: PAGE_HEADER + 24,
  /** mm_dbs[i].md_root: the free-page tree's and the main tree's root pages. */
  roots: [PAGE_HEADER + 24 + 40, PAGE_HEADER + 24 + 48 + 40],
  txnid: PAGE_HEADER + 24 + 96 + 8
} as const
/** md_root of an empty tree. */
const NO_PAGE = 0xffffffffffffffffn
const MIN_PAGE = 512
const MAX_PAGE = 65536

interface Meta {
  txnid: bigint
  roots: bigint[]
}

/**
 * Looks at an lmdb store's folder before lmdb opens it: its data file's meta pages (`checkLmdbFile`), and its lock
 * file, which lmdb rebuilds when it is a file of any content but crashes on when it is a folder (lmdb 3.5.6).
 */
export function checkLmdbStore(folder: string): LmdbFileCheck {
  const data = checkLmdbFile(join(folder, 'data.mdb'))
  if (data.kind === 'damaged') return { kind: 'damaged', reason: `its data.mdb: ${data.reason}` }
  try {
    if (!statSync(join(folder, 'lock.mdb')).isFile()) return { kind: 'damaged', reason: 'its lock.mdb: it is not a file' }
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) return { kind: 'damaged', reason: `its lock.mdb: it could not be read (${errorText(error)})` }
  }
  return data
}

/**
 * Looks at an lmdb data file's two meta pages before lmdb maps it: lmdb trusts them, and a file of random bytes, of
 * zeros, or cut short makes it crash the whole process (a segmentation fault at open, measured with lmdb 3.5.6), which
 * no `catch` can turn into a recovery. This reads 2 pages at most. It cannot see damage inside the tree's pages; lmdb
 * may still crash on those.
 */
export function checkLmdbFile(path: string): LmdbFileCheck {
  let size: number
  try {
    const stats = statSync(path)
    if (!stats.isFile()) return { kind: 'damaged', reason: 'it is not a file' }
    size = stats.size
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { kind: 'absent' }
    return { kind: 'damaged', reason: `it could not be read (${errorText(error)})` }
  }
  // lmdb writes the meta pages into an empty file itself.
  if (size === 0) return { kind: 'sound' }
  let head: Buffer
  try {
    head = readHead(path, Math.min(size, 2 * MAX_PAGE))
  } catch (error) {
    return { kind: 'damaged', reason: `it could not be read (${errorText(error)})` }
  }
  if (head.length < META.txnid + 8) return damaged('it is too short to be a message store')
  const pageSize = head.readUInt32LE(META.pageSize)
  if (pageSize < MIN_PAGE || pageSize > MAX_PAGE || (pageSize & (pageSize - 1)) !== 0) {
    return damaged(head.readUInt32LE(META.magic) === MDB_MAGIC ? 'its page size is not valid' : 'it is not an lmdb store')
  }
  if (size < 2 * pageSize) return damaged('it is cut short')
  const metas: Meta[] = []
  for (const index of [0, 1]) {
    const read = readMeta(head.subarray(index * pageSize, (index + 1) * pageSize), index)
    if (typeof read === 'string') return damaged(read)
    metas.push(read)
  }
  const [a, b] = metas as [Meta, Meta]
  const live = a.txnid >= b.txnid ? a : b
  const pages = BigInt(Math.floor(size / pageSize))
  if (live.roots.some((root) => root !== NO_PAGE && root >= pages)) return damaged('it is cut short (its tree points past the end)')
  return { kind: 'sound' }
}

function readMeta(page: Buffer, index: number): Meta | string {
  if (page.readBigUInt64LE(META.pgno) !== BigInt(index) || (page.readUInt16LE(META.flags) & P_META) === 0) {
    return 'it is not an lmdb store'
  }
  if (page.readUInt32LE(META.magic) !== MDB_MAGIC) return 'it is not an lmdb store'
  if ((page.readUInt32LE(META.version) & 0xffff) !== MDB_DATA_VERSION) return 'it was written by another lmdb version'
  return { txnid: page.readBigUInt64LE(META.txnid), roots: META.roots.map((offset) => page.readBigUInt64LE(offset)) }
}

function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const read = readSync(fd, buffer, 0, length, 0)
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

function damaged(reason: string): LmdbFileCheck {
  return { kind: 'damaged', reason }
}


function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}
