import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../shared/testing/seeded-random'
import { checkLmdbFile, checkLmdbStore } from './lmdb-file-check'

/** A real store with a few hundred values, so its trees reach well past the meta pages. */
async function realStore(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'parley-lmdb-check-'))
  const root = open<unknown, string>({ path: folder, compression: true })
  const messages = root.openDB<unknown, [string, number]>({ name: 'messages' })
  // Puts in one tick are one transaction.
  const puts = Array.from({ length: 300 }, (_, index) => messages.put(['s', index], { text: `message ${index} `.repeat(40) }))
  await Promise.all([...puts, root.put('appliedSeq', 300)])
  await root.close()
  return join(folder, 'data.mdb')
}

describe('checkLmdbFile: the session log store’s meta pages, looked at before lmdb maps them', () => {
  it('a store lmdb wrote is sound; an absent or empty file is a new store', async () => {
    expect(checkLmdbFile(await realStore())).toEqual({ kind: 'sound' })
    const folder = mkdtempSync(join(tmpdir(), 'parley-lmdb-check-'))
    expect(checkLmdbFile(join(folder, 'data.mdb'))).toEqual({ kind: 'absent' })
    writeFileSync(join(folder, 'data.mdb'), '')
    expect(checkLmdbFile(join(folder, 'data.mdb'))).toEqual({ kind: 'sound' })
  })

  it('random bytes, zeros, a cut-short file and a directory are damaged, each with its reason', async () => {
    const random = seededRandom(13)
    const cases: [string, (path: string) => void, RegExp][] = [
      ['random bytes', (path) => writeFileSync(path, Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(random() * 256)))), /not an lmdb store|page size/],
      ['zeros', (path) => writeFileSync(path, Buffer.alloc(readFileSync(path).length)), /not an lmdb store|page size/],
      ['cut in its meta pages', (path) => truncateSync(path, 3000), /cut short|too short/],
      ['cut after its meta pages', (path) => truncateSync(path, 3 * 4096), /points past the end/],
      ['a text file', (path) => writeFileSync(path, 'hello, this is not a database'), /too short/]
    ]
    for (const [name, damage, reason] of cases) {
      const path = await realStore()
      damage(path)
      const check = checkLmdbFile(path)
      expect(check.kind, name).toBe('damaged')
      expect(check.kind === 'damaged' ? check.reason : '', name).toMatch(reason)
    }
    const folder = mkdtempSync(join(tmpdir(), 'parley-lmdb-check-'))
    mkdirSync(join(folder, 'data.mdb'))
    expect(checkLmdbFile(join(folder, 'data.mdb'))).toEqual({ kind: 'damaged', reason: 'it is not a file' })
  })

  it('a store folder: its data file checked, and a lock file that is a folder is damage (lmdb crashed on it)', async () => {
    const data = await realStore()
    const folder = dirname(data)
    expect(checkLmdbStore(folder)).toEqual({ kind: 'sound' })
    // Any content in the lock file is fine: lmdb rebuilds it.
    writeFileSync(join(folder, 'lock.mdb'), 'not a lock')
    expect(checkLmdbStore(folder)).toEqual({ kind: 'sound' })
    rmSync(join(folder, 'lock.mdb'))
    mkdirSync(join(folder, 'lock.mdb'))
    expect(checkLmdbStore(folder)).toEqual({ kind: 'damaged', reason: 'its lock.mdb: it is not a file' })
    rmSync(join(folder, 'lock.mdb'), { recursive: true })
    truncateSync(data, 100)
    expect(checkLmdbStore(folder)).toEqual({ kind: 'damaged', reason: 'its data.mdb: it is too short to be a message store' })
  })

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('an unreadable file is damaged, with the reason', async () => {
    const path = await realStore()
    chmodSync(path, 0o000)
    expect(checkLmdbFile(path)).toMatchObject({ kind: 'damaged', reason: expect.stringMatching(/could not be read/) })
  })
})
