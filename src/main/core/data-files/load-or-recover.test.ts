import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrRecover, type Salvaged } from './load-or-recover'

const folder = () => mkdtempSync(join(tmpdir(), 'parley-recover-'))

/** A list of numbers: non-numbers are left out, one by one. */
function salvageNumbers(raw: unknown): Salvaged<number[]> {
  if (!Array.isArray(raw)) throw new Error('it is not a list')
  const value = raw.filter((entry): entry is number => typeof entry === 'number')
  const lost = raw.length - value.length
  return { value, kept: value.length, lost, problem: lost ? `${lost} not numbers` : '' }
}

const options = { empty: [] as number[], maxBytes: 1024, salvage: salvageNumbers, now: () => 42 }

describe('loadOrRecover: every file main reads at start', () => {
  it('an absent file is empty, with nothing to report', () => {
    expect(loadOrRecover(join(folder(), 'list.json'), options)).toEqual({ value: [], recovery: undefined })
  })

  it('a valid file is read as it is', () => {
    const path = join(folder(), 'list.json')
    writeFileSync(path, '[1,2,3]')
    expect(loadOrRecover(path, options)).toEqual({ value: [1, 2, 3], recovery: undefined })
    expect(existsSync(`${path}.corrupt-42`)).toBe(false)
  })

  it('keeps every valid entry of a file with bad ones, and a copy of the file as it was', () => {
    const path = join(folder(), 'list.json')
    writeFileSync(path, '[1,"two",3,null]')
    const { value, recovery } = loadOrRecover(path, options)
    expect(value).toEqual([1, 3])
    expect(recovery).toEqual({ file: 'list.json', backupPath: `${path}.corrupt-42`, reason: '2 not numbers', kept: 2, lost: 2 })
    expect(readFileSync(`${path}.corrupt-42`, 'utf8')).toBe('[1,"two",3,null]')
  })

  it.each([
    ['truncated', '[1,2,', /not JSON/],
    ['garbage', '\u0000\u00ff\u0013garbage', /not JSON/],
    ['the wrong shape', '{"a":1}', /expected shape \(it is not a list\)/],
    ['empty', '', /not JSON/]
  ])('a %s file is empty, copied aside, and says why', (_name, content, reason) => {
    const path = join(folder(), 'list.json')
    writeFileSync(path, content)
    const { value, recovery } = loadOrRecover(path, options)
    expect(value).toEqual([])
    expect(recovery?.reason).toMatch(reason)
    expect(recovery).toMatchObject({ kept: 0, lost: 1, backupPath: `${path}.corrupt-42` })
    expect(readFileSync(`${path}.corrupt-42`, 'utf8')).toBe(content)
  })

  it('a directory where the file should be is moved aside, so the next save can write the file', () => {
    const path = join(folder(), 'list.json')
    mkdirSync(path)
    const { value, recovery } = loadOrRecover(path, options)
    expect(value).toEqual([])
    expect(recovery).toMatchObject({ reason: 'it is not a file', backupPath: `${path}.corrupt-42` })
    expect(existsSync(path)).toBe(false)
  })

  it('a huge file is not read into memory: moved aside, and the limit named', () => {
    const path = join(folder(), 'list.json')
    writeFileSync(path, `[${'1,'.repeat(2000)}1]`)
    const { value, recovery } = loadOrRecover(path, options)
    expect(value).toEqual([])
    expect(recovery?.reason).toMatch(/over the 0\.0 MB Parley reads/)
    expect(readFileSync(`${path}.corrupt-42`, 'utf8').length).toBeGreaterThan(1024)
  })

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('an unreadable file is moved aside and named', () => {
    const path = join(folder(), 'list.json')
    writeFileSync(path, '[1]')
    chmodSync(path, 0o000)
    const { value, recovery } = loadOrRecover(path, options)
    expect(value).toEqual([])
    expect(recovery?.reason).toMatch(/could not be read/)
  })
})
