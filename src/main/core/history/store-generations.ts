import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { readFileIfPresent, writeFileAtomic } from '../settings/json-file'

/** The pointer file: which generation folder holds the live store. */
const pointerName = 'current.json'
const pointerSchema = z.object({ generation: z.number().int().nonnegative() })

/** Generation folders are `g<number>`; generation 0 is the folder itself (the layout before generations). */
const generationPattern = /^g(\d+)$/

/** The files an lmdb store keeps in its folder (generation 0's, which live beside the pointer and other generations). */
const storeFiles = ['data.mdb', 'lock.mdb']

/** Written into a generation's folder once its store is complete, before the pointer moves to it. */
const sealName = 'sealed'

/**
 * Where the session log's store lives, so that it can be replaced while Parley runs: each generation of the store is
 * a folder, and an atomically rewritten pointer file names the live one. A compaction writes the next generation
 * beside the live one, moves the pointer (one rename: a crash leaves one or the other, whole), then removes the old
 * folder, so deleted text leaves the disk at once, not at the next start. Leftovers of a crash (a half-written next
 * generation, an old one not yet removed) are removed when the log opens.
 */
export class StoreGenerations {
  private live: number

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true })
    this.live = this.readPointer()
  }

  /** The folder of the live store. */
  get current(): string {
    return this.folderOf(this.live)
  }

  /** Removes every generation but the live one: what a crash during a compaction may have left. */
  removeLeftovers(): void {
    for (const name of readdirSync(this.root)) {
      const match = generationPattern.exec(name)
      if (match && Number(match[1]) !== this.live) rmSync(join(this.root, name), { recursive: true, force: true })
    }
    if (this.live !== 0) for (const name of storeFiles) rmSync(join(this.root, name), { force: true })
  }

  /** An empty folder for the next generation (a leftover of an earlier attempt is removed first). */
  prepareNext(): string {
    const next = this.folderOf(this.live + 1)
    rmSync(next, { recursive: true, force: true })
    mkdirSync(next)
    return next
  }

  /** Makes the prepared next generation the live one, then removes the old one's files. */
  commitNext(): void {
    const old = this.live
    const next = old + 1
    if (!existsSync(join(this.folderOf(next), 'data.mdb'))) throw new Error(`the next store (${this.folderOf(next)}) has no data`)
    // Sealed first: if the pointer is ever damaged, the newest sealed generation is a whole one.
    writeFileAtomic(join(this.folderOf(next), sealName), '')
    writeFileAtomic(join(this.root, pointerName), JSON.stringify({ generation: next }))
    this.live = next
    this.removeLeftovers()
  }

  private folderOf(generation: number): string {
    return generation === 0 ? this.root : join(this.root, `g${generation}`)
  }

  /** The pointer, read at open: a missing or damaged one means generation 0 (the folder itself). */
  private readPointer(): number {
    const text = readFileIfPresent(join(this.root, pointerName))
    if (text === undefined) return 0
    try {
      const parsed = pointerSchema.safeParse(JSON.parse(text))
      if (parsed.success && existsSync(join(this.folderOf(parsed.data.generation), 'data.mdb'))) return parsed.data.generation
    } catch {
      // A damaged pointer: fall through to the newest sealed generation.
    }
    return this.newestSealed()
  }

  private newestSealed(): number {
    const found = readdirSync(this.root)
      .map((name) => generationPattern.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .filter((generation) => existsSync(join(this.folderOf(generation), sealName)))
    return found.length > 0 ? Math.max(...found) : 0
  }
}
