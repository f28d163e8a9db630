import { describe, expect, it } from 'vitest'
import type { RunComplete } from '../../shared'
import {
  answerBody,
  cutAtWord,
  decideNotification,
  errorBody,
  notificationTitle,
  stripMarkdown,
  type NotificationFacts
} from './notification-policy'

/** No lone surrogate: a lone one would come back from UTF-8 as U+FFFD. */
const wellFormed = (text: string): boolean => new TextDecoder().decode(new TextEncoder().encode(text)) === text

const outcomes: Record<'success' | 'error' | 'cancelled' | 'interrupted', RunComplete> = {
  success: { runId: 'r1', sessionId: 's1', messageId: 'm1', text: 'Paris is the capital of France.', cancelled: false },
  error: {
    runId: 'r1',
    sessionId: 's1',
    messageId: 'm1',
    text: 'Partial',
    error: 'The model server answered 500: internal error.',
    cancelled: false
  },
  cancelled: { runId: 'r1', sessionId: 's1', messageId: 'm1', text: 'Paris is', cancelled: true },
  interrupted: { runId: 'r1', sessionId: 's1', messageId: 'm1', text: 'Paris', error: 'interrupted', cancelled: false }
}

const windows = {
  focused: { visible: true, focused: true },
  unfocused: { visible: true, focused: false },
  hidden: { visible: false, focused: false }
}

type Switches = Pick<NotificationFacts, 'settings' | 'paused'>
const switches: Record<string, Switches> = {
  'enabled, only in the background': { settings: { enabled: true, onlyInBackground: true }, paused: false },
  'enabled, always': { settings: { enabled: true, onlyInBackground: false }, paused: false },
  disabled: { settings: { enabled: false, onlyInBackground: true }, paused: false },
  'disabled, always': { settings: { enabled: false, onlyInBackground: false }, paused: false },
  paused: { settings: { enabled: true, onlyInBackground: true }, paused: true },
  'paused, always': { settings: { enabled: true, onlyInBackground: false }, paused: true }
}

/** Which windows get a notification, for each setting, when the run finished or failed. */
const expected: Record<keyof typeof switches, (keyof typeof windows)[]> = {
  'enabled, only in the background': ['unfocused', 'hidden'],
  'enabled, always': ['focused', 'unfocused', 'hidden'],
  disabled: [],
  'disabled, always': [],
  paused: [],
  'paused, always': []
}

describe('whether a completed run gets a notification', () => {
  for (const [outcome, complete] of Object.entries(outcomes)) {
    for (const [setting, switched] of Object.entries(switches)) {
      for (const [windowName, window] of Object.entries(windows)) {
        const notifies =
          (outcome === 'success' || outcome === 'error') &&
          (expected[setting] ?? []).includes(windowName as keyof typeof windows)
        it(`${outcome}, ${setting}, window ${windowName}: ${notifies ? 'yes' : 'no'}`, () => {
          const decision = decideNotification({ complete, sessionTitle: 'Capitals', window, ...switched })
          expect(decision !== null).toBe(notifies)
          if (decision) expect(decision.isError).toBe(outcome === 'error')
        })
      }
    }
  }

  it('a minimized window is not being looked at, even if it is visible and focused in name', () => {
    const facts = { complete: outcomes.success, sessionTitle: null, ...switches['enabled, only in the background']! }
    expect(decideNotification({ ...facts, window: { visible: false, focused: true } })).not.toBeNull()
  })
})

describe('what the notification says', () => {
  const background = {
    window: windows.hidden,
    settings: { enabled: true, onlyInBackground: true },
    paused: false
  }

  it("a finished run: the session's title, and the start of the answer; clicking opens that session", () => {
    expect(decideNotification({ complete: outcomes.success, sessionTitle: 'Capitals', ...background })).toEqual({
      runId: 'r1',
      sessionId: 's1',
      title: 'Capitals',
      body: 'Paris is the capital of France.',
      isError: false
    })
  })

  it('a failed run: a body that is clearly an error, with its sentence', () => {
    expect(decideNotification({ complete: outcomes.error, sessionTitle: 'Capitals', ...background })).toEqual({
      runId: 'r1',
      sessionId: 's1',
      title: 'Capitals',
      body: '⚠ Failed: The model server answered 500: internal error.',
      isError: true
    })
  })

  it('a session without a title yet is a "New chat"', () => {
    expect(notificationTitle(null)).toBe('New chat')
    expect(notificationTitle('   ')).toBe('New chat')
    expect(notificationTitle('  Trip\n to   Lisbon ')).toBe('Trip to Lisbon')
    expect(decideNotification({ complete: outcomes.success, sessionTitle: null, ...background })?.title).toBe('New chat')
  })

  it('a very long title is cut', () => {
    const title = notificationTitle('word '.repeat(40))
    expect(Array.from(title).length).toBeLessThanOrEqual(65)
    expect(title.endsWith('…')).toBe(true)
  })

  it('an empty answer says so', () => {
    expect(answerBody('')).toBe('(The answer was empty.)')
    expect(answerBody(' \n\t ')).toBe('(The answer was empty.)')
    expect(answerBody('```\n```')).toBe('(The answer was empty.)')
  })

  it('an error without a sentence still says it failed, and a long one is cut', () => {
    expect(errorBody('')).toBe('⚠ Failed: no reason was given.')
    expect(errorBody('  Could not\nreach   the server. ')).toBe('⚠ Failed: Could not reach the server.')
    const long = errorBody(`The server said: ${'overloaded '.repeat(30)}`)
    expect(long.startsWith('⚠ Failed: The server said: overloaded')).toBe(true)
    expect(long.endsWith('overloaded…')).toBe(true)
  })
})

describe('the start of the answer', () => {
  it('collapses whitespace', () => {
    expect(answerBody('  One\n\ntwo\t three  ')).toBe('One two three')
  })

  it('strips markdown markers and keeps the words', () => {
    expect(answerBody('# Title\n\nSome **bold**, *emphasis*, _this_ and `code`.')).toBe(
      'Title Some bold, emphasis, this and code.'
    )
    expect(answerBody('> quoted\n- one\n* two\n+ three\n- [x] done')).toBe('quoted one two three done')
    expect(answerBody('See [the docs](https://example.com/docs) and ![a cat](cat.png).')).toBe(
      'See the docs and a cat.'
    )
    expect(answerBody('```ts\nconst x = 1\n```\n---\n~~old~~ new')).toBe('const x = 1 old new')
  })

  it('leaves words with underscores and lone asterisks alone', () => {
    expect(stripMarkdown('snake_case_name and 2 * 3 * 4')).toBe('snake_case_name and 2 * 3 * 4')
  })

  it('keeps a short answer whole', () => {
    const text = 'a'.repeat(100)
    expect(answerBody(text)).toBe(text)
  })

  it('cuts a long answer at a word boundary, with "…", at about 100 characters', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(5)
    const body = answerBody(text)
    expect(body.endsWith('…')).toBe(true)
    expect(Array.from(body).length).toBeLessThanOrEqual(101)
    expect(Array.from(body).length).toBeGreaterThan(60)
    const words = body.slice(0, -1).split(' ')
    // Every word in the preview is a whole word of the answer.
    for (const word of words) expect(text.split(' ')).toContain(word)
    // Trailing punctuation before the "…" is dropped.
    expect(body).not.toMatch(/[.,;:]…$/)
  })

  it('cuts one very long word (a URL, or text without spaces) where it must', () => {
    const body = answerBody('x'.repeat(300))
    expect(body).toBe(`${'x'.repeat(100)}…`)
    const cjk = answerBody('日本語の文章には空白がありません。'.repeat(10))
    expect(Array.from(cjk).length).toBe(101)
  })

  it('reads only the start of a huge answer, so even pathological markdown costs what its first 4,000 characters cost', () => {
    const huge = '**a '.repeat(250_000)
    const body = answerBody(huge)
    // Whatever follows the first 4,000 characters changes nothing: it is never read.
    expect(body).toBe(answerBody(huge.slice(0, 4000)))
    expect(answerBody(`${huge.slice(0, 4000)}${'[x]('.repeat(100_000)}`)).toBe(body)
    // Words past the first 4,000 characters are not read at all: after 4,000 blank ones the preview has nothing.
    expect(answerBody(`${' '.repeat(4000)}words past the start`)).toBe(answerBody(''))
    expect(body.endsWith('…')).toBe(true)
    expect(answerBody(`${'x'.repeat(3999)}😀 tail`)).toBe(`${'x'.repeat(100)}…`)
    expect(wellFormed(answerBody(`${'😀'.repeat(2500)}`))).toBe(true)
  })

  it('never splits a surrogate pair, an emoji sequence or a flag', () => {
    for (const unit of ['😀', '👩‍👩‍👧‍👦', '🇵🇹', 'é', '𝒜']) {
      const body = cutAtWord(unit.repeat(150), 100)
      expect(body.endsWith('…')).toBe(true)
      const kept = body.slice(0, -1)
      expect(kept).toBe(unit.repeat(100))
      expect(wellFormed(body)).toBe(true)
    }
  })

  it('cuts near the limit even when the last space is at an odd place next to emoji', () => {
    const text = `${'🙂'.repeat(70)} ${'word '.repeat(20)}`
    const body = cutAtWord(text, 100)
    expect(wellFormed(body)).toBe(true)
    expect(body.endsWith('word…')).toBe(true)
  })
})
