import { z } from 'zod'
import { idSchema, type ParleyEvent } from '../../../shared'
import { preferenceStorage, type PreferenceStorage } from '../look/theme'
import { BACKGROUND_FORMAT_CHARS } from './markdown/limits'

/**
 * The answers the chat showed last had on screen, as the markdown stack drew them (their HTML), kept for the next
 * start: the window reopens that chat before the stack (about half its code, ~150 ms of fetching, evaluating and
 * warming up at a start) is in, and draws those answers from their HTML at once, exactly as they looked; the stack
 * takes over when it comes, drawing the same. Opening a 10,000-message chat waited for the stack: 520 ms against an
 * empty chat's ~380 (issue 11 asks ≤ 1.25×).
 *
 * An answer is drawn from it only while its text is the text it was kept with (`fingerprint`), and a chat only when
 * its branch still ends where it ended (`leafId`). The HTML is the window's own (React escaped every text, KaTeX and
 * highlight.js their own); put back with innerHTML, nothing in it runs (and the page's policy allows no inline script).
 */
export interface KeptScreen {
  readonly sessionId: string
  readonly leafId: string
  readonly answers: readonly KeptAnswer[]
}

export interface KeptAnswer {
  readonly id: string
  readonly fingerprint: string
  /** The answer's `.markdown` element's inner HTML. */
  readonly html: string
}

const keptScreenSchema = z.object({
  sessionId: idSchema,
  leafId: idSchema,
  answers: z.array(z.object({ id: idSchema, fingerprint: z.string().max(40), html: z.string() })).max(200)
})

const storageKey = 'parley.firstScreen'
/** What is kept at most (characters of JSON). Past it, nothing is kept (the next start waits for the stack). */
export const keptScreenMaxChars = 600_000

/** An answer's text, told apart from any other it may become: its length and a 32-bit FNV-1a hash. */
export function fingerprintOf(text: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return `${text.length}:${(hash >>> 0).toString(36)}`
}

/** Forgets the screen kept (nothing, when storage refuses): an empty value reads as none. Answers whether it did. */
export function forgetScreen(storage: PreferenceStorage | undefined): boolean {
  try {
    if (!storage?.getItem(storageKey)) return false
    storage.setItem(storageKey, '')
    return true
  } catch {
    // Storage refused: nothing was written, nor can be read back.
    return false
  }
}

/**
 * Writes what people typed (a draft, its files) before the screen kept: with storage full, the screen (only a faster
 * first paint) is forgotten and the write tried again. Throws what the last write threw.
 */
export function writeBeforeScreen(storage: PreferenceStorage, key: string, value: string): void {
  try {
    storage.setItem(key, value)
  } catch (error) {
    if (!forgetScreen(storage)) throw error
    storage.setItem(key, value)
  }
}

/**
 * A chat deleted, or answers deleted in it (in this window once their Undo time is over, from the command line, another
 * window): the screen kept of it goes too, so that no deleted answer stays in the window's storage until another screen
 * is kept over it. Its text is looked for first, and the kept screen read only when the chat's id is in it.
 */
export function forgetDeletedScreen(storage: PreferenceStorage | undefined, event: ParleyEvent): void {
  if (event.type !== 'session.deleted' && event.type !== 'messages.deleted') return
  try {
    if (!storage?.getItem(storageKey)?.includes(event.sessionId)) return
  } catch {
    return
  }
  const kept = readKeptScreen(storage)
  if (kept?.sessionId !== event.sessionId) return
  const gone = event.type === 'session.deleted' || event.messageIds.some((id) => id === kept.leafId || kept.answers.some((answer) => answer.id === id))
  if (gone) forgetScreen(storage)
}

/** The screen kept, or undefined when there is none or what is there is not one (never throws). */
export function readKeptScreen(storage: PreferenceStorage | undefined): KeptScreen | undefined {
  try {
    const raw = storage?.getItem(storageKey)
    if (raw === null || raw === undefined) return undefined
    const parsed = keptScreenSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Keeps `screen` for the next start, unless already kept. Past its size it is not kept, and the screen kept before is
 * forgotten (it may be of this chat and end, scrolled elsewhere: drawn for it, it would lack answers). A refused write
 * keeps nothing.
 */
export function keepScreen(storage: PreferenceStorage | undefined, screen: KeptScreen): void {
  try {
    const json = JSON.stringify(screen)
    if (json.length > keptScreenMaxChars) forgetScreen(storage)
    else if (storage?.getItem(storageKey) !== json) storage?.setItem(storageKey, json)
  } catch {
    // Not kept: the next start waits for the markdown stack, as with nothing kept.
  }
}

/**
 * This start's kept screen, read once when first asked: for the chat it was kept for, until the markdown stack is in;
 * after, for an answer the stack formats in the background (drawn as kept meanwhile, not as written).
 */
export class FirstScreen {
  private screen: KeptScreen | undefined
  private read = false

  constructor(private readonly storage: () => PreferenceStorage | undefined = preferenceStorage) {}

  private kept(): KeptScreen | undefined {
    if (!this.read) {
      this.read = true
      this.screen = readKeptScreen(this.storage())
    }
    return this.screen
  }

  /** Whether the chat `sessionId`, its branch ending at `leafId`, is the one kept: it can be drawn without the stack. */
  covers(sessionId: string, leafId: string | undefined): boolean {
    const screen = this.kept()
    return screen !== undefined && screen.sessionId === sessionId && screen.leafId === leafId
  }

  /** The answer's HTML as kept, while `text` is still the text it was kept with. */
  htmlOf(messageId: string, text: string): string | undefined {
    const answer = this.kept()?.answers.find((kept) => kept.id === messageId)
    return answer !== undefined && answer.fingerprint === fingerprintOf(text) ? answer.html : undefined
  }
}

/** The window's. */
export const firstScreen = new FirstScreen()

/**
 * What a chat list's screen gives to keep: the screen, nothing yet (its end is not among its rows: still drawing them,
 * or scrolled away; an answer drawn is not formatted as it will stay), or nothing to keep at all (a long answer is on
 * it, which the stack formats in the background: drawn at once from its HTML, three held the window ~50 ms).
 */
export type ScreenTaken = { kind: 'screen'; screen: KeptScreen } | { kind: 'not-yet' } | { kind: 'not-kept' }

/**
 * The answers drawn in `root` (a chat list) as the markdown stack formatted them, with their branch's end (`leafId`).
 * `textOf` is each answer's text. An answer still streaming is left out.
 */
export function screenIn(root: ParentNode, sessionId: string, leafId: string | undefined, textOf: (messageId: string) => string | undefined): ScreenTaken {
  if (leafId === undefined || root.querySelector(`[data-message-id="${CSS.escape(leafId)}"]`) === null) return { kind: 'not-yet' }
  const answers: KeptAnswer[] = []
  for (const message of root.querySelectorAll<HTMLElement>('[data-message-id][data-role="assistant"][data-status="finished"]')) {
    const id = message.dataset['messageId']
    const text = id === undefined ? undefined : textOf(id)
    if (id === undefined || text === undefined) continue
    if (text.length > BACKGROUND_FORMAT_CHARS) return { kind: 'not-kept' }
    const markdown = message.querySelector('.message-text > .markdown')
    // An answer with no text (an error only) has no markdown to keep.
    if (markdown === null) continue
    if (markdown.hasAttribute('data-testid') || markdown.querySelector('[data-testid="unformatted-block"]')) return { kind: 'not-yet' }
    answers.push({ id, fingerprint: fingerprintOf(text), html: markdown.innerHTML })
  }
  return { kind: 'screen', screen: { sessionId, leafId, answers } }
}
