import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataFolderUnusableError, ensureDataFolder } from './data-folder'
import { createParleyCore } from './parley-core'

const scratch = () => mkdtempSync(join(tmpdir(), 'parley-folder-'))

describe('the data folder (issue 13, finding 11)', () => {
  it('is made, with its parents, when missing; an existing one is used as it is', () => {
    const folder = join(scratch(), 'a', 'b')
    ensureDataFolder(folder)
    expect(existsSync(folder)).toBe(true)
    expect(() => ensureDataFolder(folder)).not.toThrow()
  })

  it('a file in its place is named as such, with what to do, not EEXIST', () => {
    const file = join(scratch(), 'data')
    writeFileSync(file, 'not a folder')
    expect(() => ensureDataFolder(file)).toThrow(DataFolderUnusableError)
    expect(() => ensureDataFolder(file)).toThrow(/it is a file, not a folder\. Choose another folder with --data-dir/)
  })

  it('a file in the way of its path is named too', () => {
    const file = join(scratch(), 'data')
    writeFileSync(file, 'not a folder')
    expect(() => ensureDataFolder(join(file, 'inner'))).toThrow(/a file is in the way of its path/)
  })

  it('the core refuses to start on it with that sentence, and leaves the file alone', async () => {
    const file = join(scratch(), 'data')
    writeFileSync(file, 'not a folder')
    await expect(createParleyCore({ dataDir: file })).rejects.toThrow(/is a file, not a folder/)
    expect(existsSync(file)).toBe(true)
  })
})
