import { close, closeSync, existsSync, fsync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFileAtomic } from '../settings/json-file'

export interface JournalRead<T> {
  records: T[]
  /** A last line cut off by a crash mid-write: dropped. */
  tornTail: boolean
  /** Lines in the middle that could not be read (damage, not a crash): skipped, and counted. */
  skipped: number
}

/**
 * How a group reaches the disk: one write of its lines, then (if a record asked for it) one fsync. The write is a
 * synchronous call into the OS's page cache (microseconds for a tick's lines: a turn waits for it before it asks the
 * model, and a hop through libuv's pool cost it 0.4 ms); the fsync, which waits for the device, runs off the main
 * thread (libuv's pool). A seam for the crash tests, which kill the process between the two, or mid-write.
 */
export interface JournalDisk {
  write(fd: number, text: string): Promise<void>
  fsync(fd: number): Promise<void>
}

export const fsDisk: JournalDisk = {
  write: (fd, text) => writeAll(fd, Buffer.from(text)),
  fsync: (fd) => new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())))
}

/** Async only for the seam's shape: the bytes are in the file when the call returns (its error becomes a rejection). */
async function writeAll(fd: number, buffer: Buffer): Promise<void> {
  for (let from = 0; from < buffer.length; ) from += writeSync(fd, buffer, from, buffer.length - from)
}

/** The records appended in one tick: written together, and made durable by one fsync if any of them asked. */
interface Group {
  id: number
  lines: string[]
  sync: boolean
  /** In the file (the OS has it: a killed process loses nothing of it), not necessarily synced. */
  written: Promise<void>
  resolveWritten: () => void
  rejectWritten: (error: unknown) => void
  done: Promise<void>
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * An append-only file of JSON lines, with group commit. `append` only queues a line; everything appended in the same
 * tick goes out as one group: one write, then one fsync if `sync()` was asked for any of it. Groups are written one
 * after another, in order (a write does not wait for the fsyncs before it), so the file is always a prefix of what was
 * appended, and a crash can only tear the last line, which `read` detects and drops.
 */
/** How every record line starts, so the start of one cut by a crash starts so too (or is a piece of this). */
const recordStart = '{"t":"'

/** Whether a last line without its newline is what a crash mid-write leaves: the start of a record. */
export function isTornRecord(tail: string): boolean {
  return tail.startsWith(recordStart) || recordStart.startsWith(tail)
}

export class JournalFile<T> {
  private fd: number | undefined
  private bytes = 0
  /** The group this tick's appends go to, until it is handed to the disk. */
  private queued: Group | undefined
  private lastId = 0
  /** Every group up to this id is on disk (and synced, if it asked to be). */
  private doneId = 0
  /** Every group up to this id is written (in the file, maybe not synced yet). */
  private writtenId = 0
  /** The writes, in order: the next group's write starts once the one before is written, not synced. */
  private writes: Promise<void> = Promise.resolve()
  /** Groups not yet done (the queued one and those on their way), by id. */
  private readonly waiting = new Map<number, Group>()
  /** Whatever is on its way to the disk (writes and fsyncs): a group is done only after every group before it. */
  private chain: Promise<void> = Promise.resolve()
  /** Written by a group that did not fsync: the next `sync()` must fsync even with nothing new to write. */
  private unsynced = false
  private failure: unknown

  constructor(
    readonly path: string,
    private readonly parse: (value: unknown) => T | undefined,
    private readonly disk: JournalDisk = fsDisk
  ) {}

  read(): JournalRead<T> {
    if (!existsSync(this.path)) return { records: [], tornTail: false, skipped: 0 }
    const text = readFileSync(this.path, 'utf8')
    // Every complete line ends with a newline, so the last piece is '' unless a crash tore the last line.
    const complete = text.split('\n')
    const tail = complete.pop()
    const records: T[] = []
    let skipped = 0
    for (const line of complete) {
      const record = this.parseLine(line)
      if (record === undefined) skipped += 1
      else records.push(record)
    }
    let tornTail = false
    if (tail) {
      const record = this.parseLine(tail)
      if (record !== undefined) records.push(record)
      // A crash mid-write leaves the start of a record; anything else at the end is damage, and counted as such.
      else if (isTornRecord(tail)) tornTail = true
      else skipped += 1
    }
    return { records, tornTail, skipped }
  }

  /** Opens the file for appending, first rewriting it to exactly these records (dropping a torn tail). */
  open(records: T[]): void {
    this.rewrite(records)
  }

  /** Queues one record for this tick's group. */
  append(record: T): void {
    const line = `${JSON.stringify(record)}\n`
    this.group().lines.push(line)
    // Characters, not bytes: close enough to decide when to compact, and cheap (the real size is read back after).
    this.bytes += line.length
  }

  /** Asks for everything appended so far to be made durable (fsync) with this tick's group. */
  sync(): void {
    if (this.queued) this.queued.sync = true
    else if (this.unsynced) this.group().sync = true
  }

  /** The id of the group the last append went to (0 before any). */
  get position(): number {
    return this.queued?.id ?? this.lastId
  }

  /**
   * Resolves once the group `id` and every one before it are on disk; undefined when they already are, so a caller
   * can go on at once. Rejects if the disk failed.
   */
  whenDone(id: number): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (id <= this.doneId) return undefined
    return this.waiting.get(id)?.done
  }

  /**
   * Resolves once everything appended so far is written to the file (what a killed process leaves behind), without
   * waiting for any fsync; undefined when it already is. Rejects if the disk failed.
   */
  whenWritten(): Promise<void> | undefined {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    const id = this.position
    if (id <= this.writtenId) return undefined
    const group = this.queued?.id === id ? this.queued : this.waiting.get(id)
    return group?.written
  }

  /** Asks for a sync and resolves once everything appended so far is durable. */
  durable(): Promise<void> {
    this.sync()
    return this.whenDone(this.position) ?? Promise.resolve()
  }

  /** About how many bytes were appended so far (queued ones too): characters, so exact for ASCII. */
  get size(): number {
    return this.bytes
  }

  /**
   * Replaces the whole file with these records, atomically and durably, at once (compaction, a deleted chat). The
   * records must say everything appended so far: the queued group is dropped, and every group is done with them (one
   * already on its way ends in the old file, which this one replaces).
   */
  rewrite(records: T[]): void {
    mkdirSync(dirname(this.path), { recursive: true })
    writeFileAtomic(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    this.bytes = existsSync(this.path) ? statSync(this.path).size : 0
    this.unsynced = false
    this.queued = undefined
    this.doneId = this.lastId
    this.writtenId = this.lastId
    for (const group of this.waiting.values()) {
      group.resolveWritten()
      group.resolve()
    }
    this.waiting.clear()
    const fd = this.fd
    this.fd = undefined
    if (fd !== undefined) this.chain = this.chain.then(() => new Promise<void>((resolve) => close(fd, () => resolve())))
  }

  /** Writes what is queued, waits for the disk, and closes the file. */
  async close(): Promise<void> {
    this.sync()
    await (this.whenDone(this.position) ?? Promise.resolve()).catch(() => undefined)
    await this.chain
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
  }

  private group(): Group {
    if (this.queued) return this.queued
    const done = settleable()
    const written = settleable()
    const group: Group = {
      id: ++this.lastId,
      lines: [],
      sync: false,
      written: written.promise,
      resolveWritten: written.resolve,
      rejectWritten: written.reject,
      done: done.promise,
      resolve: done.resolve,
      reject: done.reject
    }
    this.queued = group
    this.waiting.set(group.id, group)
    // After every microtask of this tick: all its appends share the group.
    setImmediate(() => this.flush(group))
    return group
  }

  private flush(group: Group): void {
    if (this.queued !== group) return // a rewrite took it
    this.queued = undefined
    const fd = this.descriptor()
    const text = group.lines.join('')
    const sync = group.sync
    this.unsynced = !sync && (this.unsynced || text.length > 0)
    // The write goes out once the one before is written; the fsync, and the group being done, wait for every group
    // before it as well. So a turn can wait for its history to be in the file (a killed process keeps it) without
    // waiting for the fsyncs of other groups (`whenWritten`), and the file is still always a prefix of the appends.
    const wrote = this.writes.then(async () => {
      if (text) await this.disk.write(fd, text)
    })
    this.writes = wrote.catch(() => undefined)
    wrote.then(
      () => {
        this.writtenId = Math.max(this.writtenId, group.id)
        group.resolveWritten()
      },
      (error: unknown) => {
        this.failure ??= error
        group.rejectWritten(error)
      }
    )
    const finished = Promise.all([wrote, this.chain]).then(async () => {
      if (sync) await this.disk.fsync(fd)
    })
    this.chain = finished.catch(() => undefined)
    finished.then(
      () => {
        if (!this.waiting.has(group.id)) return
        this.doneId = Math.max(this.doneId, group.id)
        this.waiting.delete(group.id)
        group.resolve()
      },
      (error: unknown) => {
        this.failure ??= error
        this.waiting.delete(group.id)
        group.reject(error)
      }
    )
  }

  private descriptor(): number {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true })
      this.fd = openSync(this.path, 'a', 0o600)
    }
    return this.fd
  }

  private parseLine(line: string): T | undefined {
    if (!line.trim()) return undefined
    try {
      return this.parse(JSON.parse(line))
    } catch {
      return undefined
    }
  }
}

/** A promise and the functions that settle it; a rejection nobody awaits is not reported as unhandled. */
function settleable(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => undefined)
  return { promise, resolve, reject }
}
