import { describe, expect, it } from 'vitest'
import { StagedImport } from './staged-import'

/** A pause the test releases by hand, so it can look between steps. */
function manualPauses(): { pause: () => Promise<void>; release: () => void; waiting: () => number } {
  const waiters: (() => void)[] = []
  return {
    pause: () => new Promise<void>((resolve) => waiters.push(resolve)),
    release: () => waiters.shift()?.(),
    waiting: () => waiters.length
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('StagedImport', () => {
  it('runs each step in a task of its own (the first too, not in the caller\'s), then the last, and then says it is loaded', async () => {
    const ran: string[] = []
    const pauses = manualPauses()
    const part = new StagedImport(
      [{ load: async () => ran.push('katex') }, { load: async () => ran.push('highlighter') }],
      async () => {
        ran.push('markdown')
        return { Markdown: 'component' }
      },
      pauses.pause
    )
    expect(part.getSnapshot()).toEqual({ kind: 'waiting' })
    const loaded = part.load()
    await settle()
    expect(ran).toEqual([])
    expect(pauses.waiting()).toBe(1)
    pauses.release()
    await settle()
    expect(ran).toEqual(['katex'])
    expect(pauses.waiting()).toBe(1)
    pauses.release()
    await settle()
    expect(ran).toEqual(['katex', 'highlighter'])
    expect(part.getSnapshot().kind).toBe('waiting')
    pauses.release()
    expect(await loaded).toEqual({ Markdown: 'component' })
    expect(ran).toEqual(['katex', 'highlighter', 'markdown'])
    expect(part.getSnapshot()).toEqual({ kind: 'loaded', value: { Markdown: 'component' } })
  })

  it('loads once however many ask, and tells its subscribers once', async () => {
    let imports = 0
    const part = new StagedImport([], async () => ++imports, settle)
    let told = 0
    part.subscribe(() => told++)
    const [a, b] = await Promise.all([part.load(), part.load()])
    await part.load()
    expect([a, b, imports, told]).toEqual([1, 1, 1, 1])
  })

  it('says a failed load failed, and tries again on the next', async () => {
    let attempts = 0
    const part = new StagedImport(
      [
        {
          load: async () => {
            attempts++
            if (attempts === 1) throw new Error('Failed to fetch dynamically imported module')
          }
        }
      ],
      async () => 'markdown',
      settle
    )
    await expect(part.load()).rejects.toThrow('Failed to fetch')
    expect(part.getSnapshot()).toMatchObject({ kind: 'failed' })
    expect(await part.load()).toBe('markdown')
    expect(part.getSnapshot()).toEqual({ kind: 'loaded', value: 'markdown' })
  })

  it("runs each chunk's warm-up once it is in, while the next chunk is fetched, in a task after its own", async () => {
    const ran: string[] = []
    const fetched: (() => void)[] = []
    /** A chunk that arrives when the test says so. */
    const chunk = (name: string) => () =>
      new Promise<void>((resolve) => {
        ran.push(`fetch ${name}`)
        fetched.push(() => {
          ran.push(`in ${name}`)
          resolve()
        })
      })
    const part = new StagedImport(
      [
        { load: chunk('parser'), warm: async () => void ran.push('warm parser') },
        { load: chunk('katex'), warm: async () => void ran.push('warm katex') }
      ],
      async () => {
        await chunk('views')()
        return 'views'
      },
      settle
    )
    const loaded = part.load()
    await settle()
    fetched.shift()?.()
    await settle()
    await settle()
    // The parser's warm-up ran after the parser was in, and after the next chunk was asked for: not before it.
    expect(ran).toEqual(['fetch parser', 'in parser', 'fetch katex', 'warm parser'])
    fetched.shift()?.()
    await settle()
    await settle()
    expect(ran.slice(4)).toEqual(['in katex', 'fetch views', 'warm katex'])
    fetched.shift()?.()
    expect(await loaded).toBe('views')
  })

  it("hands the part out in a task after the last warm-up's, not in it", async () => {
    const ran: string[] = []
    const pauses = manualPauses()
    const part = new StagedImport([{ load: async () => undefined, warm: async () => void ran.push('warm views') }], async () => 'views', pauses.pause)
    part.subscribe(() => ran.push('told'))
    const loaded = part.load().then((views) => ran.push(`loaded ${views}`))
    pauses.release()
    await settle()
    pauses.release()
    await settle()
    expect(ran).toEqual(['warm views'])
    expect(part.getSnapshot().kind).toBe('waiting')
    expect(pauses.waiting()).toBe(1)
    pauses.release()
    await loaded
    expect(ran).toEqual(['warm views', 'told', 'loaded views'])
  })

  it('loads the part even when a warm-up throws', async () => {
    const part = new StagedImport(
      [
        {
          load: async () => undefined,
          warm: async () => {
            throw new Error('a sample the library refused')
          }
        }
      ],
      async () => 'views',
      settle
    )
    expect(await part.load()).toBe('views')
    expect(part.getSnapshot()).toEqual({ kind: 'loaded', value: 'views' })
  })
})
