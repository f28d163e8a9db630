// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { fingerprintOf, FirstScreen, forgetDeletedScreen, forgetScreen, keepScreen, keptScreenMaxChars, readKeptScreen, screenIn, type KeptScreen } from './first-screen'
import { BACKGROUND_FORMAT_CHARS } from './markdown/limits'
import { memoryStorage } from '../testing/memory-storage'

/** The shared storage in memory, its writes counted. */
function countedStorage(initial: Record<string, string> = {}): ReturnType<typeof memoryStorage> & { writes: () => number } {
  const storage = memoryStorage()
  for (const [key, value] of Object.entries(initial)) storage.values.set(key, value)
  let writes = 0
  return {
    ...storage,
    setItem: (key, value) => {
      writes += 1
      storage.setItem(key, value)
    },
    writes: () => writes
  }
}

/** Chat s1's screen, its branch ending at a2, with these answers (id, text, HTML). */
function screenOf(...answers: readonly (readonly [string, string, string])[]): KeptScreen {
  return { sessionId: 's1', leafId: 'a2', answers: answers.map(([id, text, html]) => ({ id, fingerprint: fingerprintOf(text), html })) }
}

const screen = screenOf(['a1', 'First **answer**', '<p>First <strong>answer</strong></p>'], ['a2', 'Second', '<p>Second</p>'])

describe('the screen kept for the next start', () => {
  it('tells texts apart by their length and hash, and the same text alike', () => {
    expect(fingerprintOf('Some answer')).toBe(fingerprintOf('Some answer'))
    expect(fingerprintOf('Some answer')).not.toBe(fingerprintOf('Some answeR'))
    expect(fingerprintOf('ab')).not.toBe(fingerprintOf('ba'))
    expect(fingerprintOf('')).toMatch(/^0:/)
  })

  it('is kept and read back; a write of the same screen is not made again', () => {
    const storage = countedStorage()
    keepScreen(storage, screen)
    expect(readKeptScreen(storage)).toEqual(screen)
    keepScreen(storage, screen)
    expect(storage.writes()).toBe(1)
  })

  it('is not kept past its size, and the screen kept before is forgotten', () => {
    const storage = countedStorage()
    keepScreen(storage, screen)
    const huge: KeptScreen = { ...screen, answers: [{ id: 'a2', fingerprint: '1:x', html: 'x'.repeat(keptScreenMaxChars) }] }
    keepScreen(storage, huge)
    expect(readKeptScreen(storage)).toBeUndefined()
    keepScreen(storage, screen)
    forgetScreen(storage)
    expect(readKeptScreen(storage)).toBeUndefined()
  })

  it('reads as none whatever is not a kept screen (damaged JSON, another shape, storage that throws)', () => {
    expect(readKeptScreen(countedStorage())).toBeUndefined()
    expect(readKeptScreen(countedStorage({ 'parley.firstScreen': '{"sessionId":' }))).toBeUndefined()
    expect(readKeptScreen(countedStorage({ 'parley.firstScreen': JSON.stringify({ ...screen, answers: [{ id: 'a1' }] }) }))).toBeUndefined()
    expect(readKeptScreen(countedStorage({ 'parley.firstScreen': JSON.stringify({ ...screen, sessionId: '' }) }))).toBeUndefined()
    const throwing = { getItem: (): string => { throw new Error('storage refused') }, setItem: (): void => { throw new Error('storage refused') } }
    expect(readKeptScreen(throwing)).toBeUndefined()
    expect(() => keepScreen(throwing, screen)).not.toThrow()
    expect(readKeptScreen(undefined)).toBeUndefined()
  })

  it('covers only the chat it was kept for, while its branch ends where it ended', () => {
    const first = new FirstScreen(() => countedStorage({ 'parley.firstScreen': JSON.stringify(screen) }))
    expect(first.covers('s1', 'a2')).toBe(true)
    expect(first.covers('s2', 'a2')).toBe(false)
    // An answer came since, or another branch is shown: its rows are not the rows kept.
    expect(first.covers('s1', 'a3')).toBe(false)
    expect(first.covers('s1', undefined)).toBe(false)
    expect(new FirstScreen(() => countedStorage()).covers('s1', 'a2')).toBe(false)
  })

  it("gives an answer's HTML only while its text is the text it was kept with", () => {
    const first = new FirstScreen(() => countedStorage({ 'parley.firstScreen': JSON.stringify(screen) }))
    expect(first.htmlOf('a1', 'First **answer**')).toBe('<p>First <strong>answer</strong></p>')
    expect(first.htmlOf('a1', 'First **answer**, edited')).toBeUndefined()
    expect(first.htmlOf('a3', 'Second')).toBeUndefined()
  })

  it('goes when its chat is deleted, or an answer on it or its branch\'s end, and stays for anything else', () => {
    const storage = countedStorage()
    const stamp = { seq: 9, at: 0 }
    const stillKept = (): boolean => readKeptScreen(storage) !== undefined
    keepScreen(storage, screen)
    forgetDeletedScreen(storage, { type: 'session.deleted', sessionId: 's2', ...stamp })
    forgetDeletedScreen(storage, { type: 'messages.deleted', sessionId: 's1', messageIds: ['u9', 'a9'], leafId: 'a2', ...stamp })
    forgetDeletedScreen(storage, { type: 'messages.deleted', sessionId: 's2', messageIds: ['a1'], leafId: null, ...stamp })
    forgetDeletedScreen(storage, { type: 'session.busy', sessionId: 's1', busy: false, ...stamp })
    expect(stillKept()).toBe(true)
    forgetDeletedScreen(storage, { type: 'session.deleted', sessionId: 's1', ...stamp })
    expect(stillKept()).toBe(false)
    expect(storage.values.get('parley.firstScreen')).toBe('')

    keepScreen(storage, screen)
    forgetDeletedScreen(storage, { type: 'messages.deleted', sessionId: 's1', messageIds: ['u1', 'a1', 'u2', 'a2'], leafId: null, ...stamp })
    expect(stillKept()).toBe(false)
    keepScreen(storage, { ...screen, answers: [] })
    forgetDeletedScreen(storage, { type: 'messages.deleted', sessionId: 's1', messageIds: ['a2'], leafId: 'u2', ...stamp })
    expect(stillKept()).toBe(false)
  })

  it('is read from storage once, when first asked', () => {
    let reads = 0
    const storage = countedStorage({ 'parley.firstScreen': JSON.stringify(screen) })
    const first = new FirstScreen(() => {
      reads += 1
      return storage
    })
    expect(reads).toBe(0)
    first.covers('s1', 'a2')
    first.htmlOf('a1', 'First **answer**')
    expect(reads).toBe(1)
  })
})

describe('the screen taken from a chat list', () => {
  const answer = (id: string, status: string, markdown: string): string =>
    `<article data-message-id="${id}" data-role="assistant" data-status="${status}"><div class="message-text">${markdown}</div></article>`
  const prompt = (id: string): string => `<article data-message-id="${id}" data-role="user" data-status="finished"><p>${id}</p></article>`

  function list(html: string): HTMLElement {
    const root = document.createElement('div')
    root.innerHTML = html
    return root
  }
  const texts: Record<string, string> = { a1: 'One', a2: 'Two', a3: 'Three', a4: 'Four', a5: 'Five' }
  const textOf = (id: string): string | undefined => texts[id]

  it("keeps each finished answer formatted by the markdown stack, with its text's fingerprint", () => {
    const root = list(
      [
        prompt('u1'),
        answer('a1', 'finished', '<div class="markdown"><p>One</p></div>'),
        prompt('u2'),
        answer('a2', 'finished', '<div class="markdown"><p><em>Two</em></p></div>')
      ].join('')
    )
    expect(screenIn(root, 's1', 'a2', textOf)).toEqual({ kind: 'screen', screen: screenOf(['a1', 'One', '<p>One</p>'], ['a2', 'Two', '<p><em>Two</em></p>']) })
  })

  it('leaves out an answer still streaming or without text, and answers none while an answer drawn is not formatted as it will stay', () => {
    const done = answer('a1', 'finished', '<div class="markdown"><p>One</p></div>')
    const streaming = answer('a2', 'streaming', '<div class="markdown"><p>Two</p></div>')
    const errorOnly = answer('a3', 'finished', '<p class="message-error">failed</p>')
    const taken = screenIn(list(done + streaming + errorOnly), 's1', 'a3', textOf)
    expect(taken.kind === 'screen' ? taken.screen.answers.map((kept) => kept.id) : taken.kind).toEqual(['a1'])
    for (const unfinished of [
      '<div class="markdown" data-testid="markdown-formatting" data-formatting=""><p>Four</p></div>',
      '<div class="markdown" data-testid="markdown-kept"><p>Four</p></div>',
      '<div class="markdown" data-testid="markdown-unformatted"><p>Four</p></div>',
      '<div class="markdown"><p data-testid="unformatted-block">Four</p></div>'
    ])
      expect(screenIn(list(done + answer('a4', 'finished', unfinished)), 's1', 'a4', textOf)).toEqual({ kind: 'not-yet' })
  })

  it('keeps no screen with a long answer on it (the stack formats those in the background)', () => {
    const long = 'x'.repeat(BACKGROUND_FORMAT_CHARS + 1)
    const root = list(answer('a1', 'finished', '<div class="markdown"><p>One</p></div>') + answer('a9', 'finished', '<div class="markdown"><p>long</p></div>'))
    expect(screenIn(root, 's1', 'a9', (id) => (id === 'a9' ? long : textOf(id)))).toEqual({ kind: 'not-kept' })
  })

  it("keeps nothing from a list whose branch's end is not among its rows (scrolled away from it)", () => {
    const root = list(answer('a1', 'finished', '<div class="markdown"><p>One</p></div>'))
    expect(screenIn(root, 's1', 'a9', textOf)).toEqual({ kind: 'not-yet' })
    expect(screenIn(root, 's1', undefined, textOf)).toEqual({ kind: 'not-yet' })
  })
})
