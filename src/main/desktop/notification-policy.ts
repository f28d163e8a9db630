import type { DesktopSettings, RunComplete } from '../../shared'
import type { WindowState } from './app-window'

/** A notification to raise for a completed run. */
export interface RunNotification {
  runId: string
  /** The chat to open when the notification is clicked. */
  sessionId: string
  title: string
  body: string
  isError: boolean
}

export interface NotificationFacts {
  complete: RunComplete
  /** The session's title; null while it has none yet (rule E1 makes one in the background). */
  sessionTitle: string | null
  window: WindowState
  settings: DesktopSettings['notifications']
  /** "Pause notifications" in the tray (for this run of the app only). */
  paused: boolean
}

/** What a run cut off by quitting or a crash carries as its error (rules D6, G2). */
export const interruptedError = 'interrupted'
export const untitledSessionTitle = 'New chat'
export const emptyAnswerBody = '(The answer was empty.)'
/** About as much as a notification shows before the OS cuts it. */
export const bodyLength = 100
const titleLength = 64

/**
 * Whether a completed run gets a notification, and what it says. Only when the user is not looking at Parley (the
 * window hidden, minimized or not focused), unless they asked for one always; never while notifications are off or
 * paused. A run the user cancelled, or one cut off by quitting, tells them nothing new, so it gets none.
 */
export function decideNotification(facts: NotificationFacts): RunNotification | null {
  const { complete, settings } = facts
  if (!settings.enabled || facts.paused) return null
  if (complete.cancelled || complete.error === interruptedError) return null
  const userIsLooking = facts.window.visible && facts.window.focused
  if (settings.onlyInBackground && userIsLooking) return null
  const isError = complete.error !== undefined
  return {
    runId: complete.runId,
    sessionId: complete.sessionId,
    title: notificationTitle(facts.sessionTitle),
    body: isError ? errorBody(complete.error ?? '') : answerBody(complete.text),
    isError
  }
}

export function notificationTitle(sessionTitle: string | null): string {
  const title = collapseWhitespace(startOf(sessionTitle ?? ''))
  return title ? cutAtWord(title, titleLength) : untitledSessionTitle
}

/** The start of the answer as plain text: markdown markers stripped, whitespace collapsed, cut at a word. */
export function answerBody(text: string): string {
  const plain = collapseWhitespace(stripMarkdown(startOf(text)))
  return plain ? cutAtWord(plain, bodyLength) : emptyAnswerBody
}

/** Clearly an error, at a glance: "⚠ Failed: <the error sentence>". */
export function errorBody(error: string): string {
  const sentence = collapseWhitespace(startOf(error))
  return `⚠ Failed: ${sentence ? cutAtWord(sentence, bodyLength) : 'no reason was given.'}`
}

/**
 * Markdown's markers, removed so the preview reads as text: headings, quotes, list bullets, rules, code fences and
 * backticks, emphasis, strikethrough, and links and images (their text is kept, their address dropped).
 */
export function stripMarkdown(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*(```|~~~)/.test(line) && !/^\s*([-*_])(\s*\1){2,}\s*$/.test(line))
    .map((line) =>
      line
        .replace(/^\s{0,3}(>\s?)+/, '')
        .replace(/^\s{0,3}#{1,6}\s+/, '')
        .replace(/^\s*[-*+]\s+(\[[ xX]\]\s+)?/, '')
    )
    .join('\n')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/`+/g, '')
    .replace(/(\*\*|__|~~)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
}

/** How much of a text is read for a preview: plenty for 100 characters, and bounded however long the text is. */
const previewSource = 4000

function startOf(text: string): string {
  const head = text.slice(0, previewSource)
  // Slicing by code units may have cut a surrogate pair in half: drop its lone first half.
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * At most `max` characters as a person counts them (grapheme clusters, so an emoji, a flag or an accented letter
 * is never split, nor a surrogate pair), cut after the last whole word when one ends in the last ~40 %, then "…".
 */
export function cutAtWord(text: string, max: number): string {
  const characters = Array.from(graphemes.segment(text), (s) => s.segment)
  if (characters.length <= max) return text
  let cut = max
  for (let i = max; i >= Math.floor(max * 0.6); i--) {
    if (/^\s+$/.test(characters[i] ?? '')) {
      cut = i
      break
    }
  }
  const head = characters.slice(0, cut).join('').replace(/[\s,;:.…-]+$/u, '')
  return `${head}…`
}
