import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StoreGenerations } from './store-generations'

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'parley-generations-'))
}

/** Stands in for lmdb's compacting copy: a store file in the prepared folder. */
function writeStore(path: string, text: string): void {
  writeFileSync(join(path, 'data.mdb'), text)
}

describe('the session log store’s generations', () => {
  it('starts in the folder itself, the layout from before generations, so an existing store is kept', () => {
    const root = folder()
    writeStore(root, 'old')
    expect(new StoreGenerations(root).current).toBe(root)
  })

  it('a committed next generation is the live one, also after a restart, and the old store’s files are gone', () => {
    const root = folder()
    writeStore(root, 'old')
    const generations = new StoreGenerations(root)
    const next = generations.prepareNext()
    writeStore(next, 'compacted')
    generations.commitNext()
    expect(generations.current).toBe(next)
    expect(existsSync(join(root, 'data.mdb'))).toBe(false)
    expect(new StoreGenerations(root).current).toBe(next)

    const third = generations.prepareNext()
    writeStore(third, 'again')
    generations.commitNext()
    expect(readdirSync(root).filter((name) => name.startsWith('g'))).toEqual(['g2'])
  })

  it('a crash before the pointer moves keeps the old store live, and the half-written next one is removed at open', () => {
    const root = folder()
    writeStore(root, 'old')
    const next = new StoreGenerations(root).prepareNext()
    writeStore(next, 'half')
    const reopened = new StoreGenerations(root)
    expect(reopened.current).toBe(root)
    reopened.removeLeftovers()
    expect(existsSync(next)).toBe(false)
    expect(existsSync(join(root, 'data.mdb'))).toBe(true)
  })

  it('a crash after the pointer moved but before the old files went: the new store is live and the old files are removed', () => {
    const root = folder()
    writeStore(root, 'old')
    const generations = new StoreGenerations(root)
    const next = generations.prepareNext()
    writeStore(next, 'compacted')
    writeFileSync(join(next, 'sealed'), '')
    writeFileSync(join(root, 'current.json'), JSON.stringify({ generation: 1 }))
    const reopened = new StoreGenerations(root)
    reopened.removeLeftovers()
    expect(reopened.current).toBe(next)
    expect(existsSync(join(root, 'data.mdb'))).toBe(false)
  })

  it('refuses to move the pointer to a generation with no store', () => {
    const root = folder()
    const generations = new StoreGenerations(root)
    generations.prepareNext()
    expect(() => generations.commitNext()).toThrow(/has no data/)
    expect(generations.current).toBe(root)
  })

  it('a damaged pointer falls back to the newest sealed generation, never to a half-written one', () => {
    const root = folder()
    const generations = new StoreGenerations(root)
    const sealed = generations.prepareNext()
    writeStore(sealed, 'compacted')
    generations.commitNext()
    writeStore(generations.prepareNext(), 'half')
    writeFileSync(join(root, 'current.json'), '{ not json')
    expect(new StoreGenerations(root).current).toBe(sealed)
  })
})
