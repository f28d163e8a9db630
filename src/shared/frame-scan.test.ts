import { afterEach, describe, expect, it, vi } from 'vitest'
import { scanFrameText } from './frame-scan'
import { seededRandom } from './testing/seeded-random'
import { findUnsafeShape, readClientFrameText, wireLimits } from './wire'

afterEach(() => vi.restoreAllMocks())

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 80 ? 4 : 7))
  switch (pick) {
    case 0:
      return null
    case 1:
      return next() * 1000 - 500
    case 2:
      return next() < 0.5
    case 3:
      return Array.from({ length: Math.floor(next() * 6) }, () => String.fromCharCode(Math.floor(next() * 0x2fff))).join('') + '"\\{['
    case 4:
    case 5:
      return Array.from({ length: Math.floor(next() * 3) + (pick === 5 ? 1 : 0) }, () => randomValue(next, depth + 1))
    default: {
      const object: Record<string, unknown> = {}
      for (let i = 0; i < Math.floor(next() * 3) + 1; i += 1) object[`k${Math.floor(next() * 5)}`] = randomValue(next, depth + 1)
      return object
    }
  }
}

describe('scanFrameText: depth and method before any JSON.parse (issue 13, finding 2)', () => {
  it('finds the top-level method, wherever its key is, and only there', () => {
    expect(scanFrameText('{"kind":"call","id":12,"method":"importChats","args":[]}', 64)).toEqual({ ok: true, kind: 'call', id: 12, method: 'importChats' })
    expect(scanFrameText('{"args":[{"method":"x","id":3}],"method" : "run","kind":"call"}', 64)).toMatchObject({ ok: true, method: 'run', id: undefined })
    expect(scanFrameText('{"args":{"method":"importChats"},"kind":"call"}', 64)).toMatchObject({ ok: true, method: undefined })
    expect(scanFrameText('{"note":"method","x":"importChats"}', 64)).toMatchObject({ ok: true, method: undefined })
    expect(scanFrameText('{"method":"import\\u0043hats"}', 64)).toMatchObject({ ok: true, method: undefined })
    expect(scanFrameText('{"id":-1,"kind":"call"}', 64)).toMatchObject({ ok: true, id: undefined })
  })

  it('refuses nesting past the limit, unbalanced closing, a string that never ends, and nothing at all', () => {
    expect(scanFrameText(`${'['.repeat(65)}${']'.repeat(65)}`, 64)).toMatchObject({ ok: false, problem: 'it nests deeper than 64 levels' })
    expect(scanFrameText(`${'['.repeat(64)}${']'.repeat(64)}`, 64).ok).toBe(true)
    expect(scanFrameText('{"a":"[[[[["}', 2).ok).toBe(true)
    expect(scanFrameText('{}]', 64)).toMatchObject({ ok: false, problem: 'it closes more than it opens' })
    expect(scanFrameText('{"a":"b', 64)).toMatchObject({ ok: false, problem: 'a string in it never ends' })
    expect(scanFrameText('   ', 64)).toMatchObject({ ok: false, problem: 'it is empty' })
  })

  it('a 30 MB frame nested a million deep is refused without JSON.parse ever seeing it', () => {
    const parse = vi.spyOn(JSON, 'parse')
    const deep = `{"kind":"call","id":1,"method":"importChats","args":[${'['.repeat(15_000_000)}${']'.repeat(15_000_000)}]}`
    const read = readClientFrameText(deep, deep.length)
    expect(read).toMatchObject({ ok: false, callId: 1, error: { code: 'BadRequest', message: expect.stringMatching(/nests deeper than 64/) } })
    expect(parse).not.toHaveBeenCalled()
  })

  it('a frame over the small limit is read only for the calls that carry big payloads', () => {
    const parse = vi.spyOn(JSON, 'parse')
    const big = 'x'.repeat(wireLimits.smallFrameBytes + 10)
    const rename = JSON.stringify({ kind: 'call', id: 7, method: 'renameSession', args: ['s', big] })
    expect(readClientFrameText(rename)).toMatchObject({ ok: false, callId: 7, error: { message: expect.stringMatching(/only enqueue, run, importChats, putAttachment may be over/) } })
    expect(parse).not.toHaveBeenCalled()
    const importing = JSON.stringify({ kind: 'call', id: 8, method: 'importChats', args: [{ text: big }] })
    expect(readClientFrameText(importing)).toMatchObject({ ok: true, frame: { method: 'importChats' } })
  })

  it('fuzz: random bytes never throw, and on valid JSON the scan agrees with the parsed shape (2,000 cases per seed)', () => {
    for (const seed of [1, 2, 3]) {
      const next = seededRandom(seed)
      for (let n = 0; n < 2000; n += 1) {
        const bytes = Array.from({ length: Math.floor(next() * 60) }, () => '{}[]":,\\ a1\u0000\u00ff'.charAt(Math.floor(next() * 14))).join('')
        expect(() => scanFrameText(bytes, 8), `seed ${seed} case ${n}: ${JSON.stringify(bytes)}`).not.toThrow()
        expect(() => readClientFrameText(bytes), `seed ${seed} case ${n}`).not.toThrow()

        const value = randomValue(next, 0)
        const text = JSON.stringify(value)
        const scan = scanFrameText(text, 8)
        const deep = findUnsafeShape(value, 8)?.startsWith('it nests') ?? false
        expect(scan.ok, `seed ${seed} case ${n}: ${text.slice(0, 200)}`).toBe(!deep)
      }
    }
  })
})
