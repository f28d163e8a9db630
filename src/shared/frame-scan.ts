/**
 * A look at a frame's text before `JSON.parse`: its nesting depth and its top-level `method`, in one pass over the
 * characters, with no allocation but the method's name. A 30 MB frame nested a million deep is refused here in
 * milliseconds; parsed first, it held the host for seconds and took a gigabyte.
 */
export interface FrameHead {
  /** The top-level `kind`, `method` and `id`, when they are short plain strings and a plain integer. */
  kind: string | undefined
  method: string | undefined
  id: number | undefined
}

export type FrameScan = ({ ok: true } & FrameHead) | ({ ok: false; problem: string } & FrameHead)

const quote = 0x22
const backslash = 0x5c
const colon = 0x3a
const openers = new Set([0x7b, 0x5b]) // { [
const closers = new Set([0x7d, 0x5d]) // } ]
const whitespace = new Set([0x20, 0x09, 0x0a, 0x0d])
/** Longer than any method name: a string this long at the top is no method, and is not copied. */
const maxNameChars = 100

export function scanFrameText(text: string, maxDepth: number): FrameScan {
  let depth = 0
  const head: FrameHead = { kind: undefined, method: undefined, id: undefined }
  /** The top-level key whose value comes next, once a string at depth 1 was followed by a colon. */
  let key: string | undefined
  /** A string just ended at depth 1: its text (if short and plain), waiting to see whether a colon follows. */
  let justRead: string | undefined
  let readSomething = false
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at)
    if (code === quote) {
      const start = at + 1
      let escaped = false
      at += 1
      while (at < text.length && text.charCodeAt(at) !== quote) {
        if (text.charCodeAt(at) === backslash) {
          escaped = true
          at += 1
        }
        at += 1
      }
      if (at >= text.length) return { ok: false, problem: 'a string in it never ends', ...head }
      if (depth === 1) {
        const length = at - start
        const plain = !escaped && length <= maxNameChars
        if ((key === 'method' || key === 'kind') && head[key] === undefined && plain) head[key] = text.slice(start, at)
        justRead = plain ? text.slice(start, at) : ''
        key = undefined
      }
      readSomething = true
      continue
    }
    if (whitespace.has(code)) continue
    if (depth === 1 && code === colon) {
      key = justRead
      justRead = undefined
      continue
    }
    justRead = undefined
    if (openers.has(code)) {
      depth += 1
      if (depth > maxDepth) return { ok: false, problem: `it nests deeper than ${maxDepth} levels`, ...head }
      if (depth === 2) key = undefined
    } else if (closers.has(code)) {
      depth -= 1
      if (depth < 0) return { ok: false, problem: 'it closes more than it opens', ...head }
    } else if (depth === 1) {
      if (key === 'id' && head.id === undefined && code >= 0x30 && code <= 0x39) {
        let end = at
        while (end < text.length && end - at < 17 && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end += 1
        const id = Number(text.slice(at, end))
        if (Number.isSafeInteger(id)) head.id = id
        at = end - 1
      }
      key = undefined
    }
    readSomething = true
  }
  if (!readSomething) return { ok: false, problem: 'it is empty', ...head }
  return { ok: true, ...head }
}
