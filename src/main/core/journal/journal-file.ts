import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, existsSync, writeSync, statSync } from 'node:fs'
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
 * An append-only file of JSON lines. Appends are plain writes; `sync()` makes them durable. A crash can only tear the
 * last line, which `read` detects and drops; everything before it is kept.
 */
export class JournalFile<T> {
  private fd: number | undefined
  private dirty = false
  private bytes = 0

  constructor(
    readonly path: string,
    private readonly parse: (value: unknown) => T | undefined
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
      if (record === undefined) tornTail = true
      else records.push(record)
    }
    return { records, tornTail, skipped }
  }

  /** Opens the file for appending, first rewriting it to exactly these records (dropping a torn tail). */
  open(records: T[]): void {
    this.rewrite(records)
  }

  append(record: T): void {
    const fd = this.descriptor()
    const line = `${JSON.stringify(record)}\n`
    writeSync(fd, line)
    this.bytes += Buffer.byteLength(line)
    this.dirty = true
  }

  /** Makes every append so far durable (fsync). */
  sync(): void {
    if (!this.dirty || this.fd === undefined) return
    fsyncSync(this.fd)
    this.dirty = false
  }

  get size(): number {
    return this.bytes
  }

  /** Replaces the whole file with these records, atomically (compaction). */
  rewrite(records: T[]): void {
    this.close()
    mkdirSync(dirname(this.path), { recursive: true })
    writeFileAtomic(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    this.bytes = existsSync(this.path) ? statSync(this.path).size : 0
  }

  close(): void {
    if (this.fd === undefined) return
    this.sync()
    closeSync(this.fd)
    this.fd = undefined
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
