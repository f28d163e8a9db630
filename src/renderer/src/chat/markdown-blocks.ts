const fenceOpen = /^ {0,3}(`{3,}|~{3,})/
const listItem = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:\s|$)/
const blank = /^\s*$/

/** One top-level block's source; `open` when it is a fenced code block whose closing fence has not arrived yet. */
export interface MarkdownBlockSource {
  readonly text: string
  readonly open: boolean
}

/**
 * Splits markdown into top-level blocks at blank lines, so each block can be rendered and memoised on its own:
 * while an answer streams, only its last block changes and is parsed again.
 *
 * A blank line does not split inside a fenced code block, before an indented line (a list item's continuation, an
 * indented code block), or between two items of a list, because each of those belongs to the block above it.
 * Only the last block can be open: the answer is still streaming its code, so it is not highlighted yet.
 */
export function markdownBlocks(source: string): MarkdownBlockSource[] {
  const lines = source.split('\n')
  const nextText = nextNonBlank(lines)
  const blocks: MarkdownBlockSource[] = []
  let current: string[] = []
  let fence: { char: string; length: number } | undefined
  let inList = false

  const close = (): void => {
    if (current.length > 0) blocks.push({ text: current.join('\n'), open: fence !== undefined })
    current = []
    inList = false
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (fence) {
      current.push(line)
      const closing = line.match(fenceOpen)
      if (closing?.[1] && closing[1][0] === fence.char && closing[1].length >= fence.length && blank.test(line.slice(line.indexOf(closing[1]) + closing[1].length))) {
        fence = undefined
      }
      continue
    }
    if (blank.test(line)) {
      if (current.length === 0) continue
      const next = lines[nextText[i] ?? lines.length]
      const continues = next !== undefined && (/^[ \t]/.test(next) || (inList && listItem.test(next)))
      if (continues) current.push(line)
      else close()
      continue
    }
    const opening = line.match(fenceOpen)
    if (opening?.[1]) fence = { char: opening[1][0] ?? '`', length: opening[1].length }
    if (current.length === 0) inList = listItem.test(line)
    current.push(line)
  }
  close()
  return blocks
}

/** For each line, the index of the first non-blank line after it (lines.length if none): one pass, from the end. */
function nextNonBlank(lines: readonly string[]): number[] {
  const next = new Array<number>(lines.length)
  let after = lines.length
  for (let i = lines.length - 1; i >= 0; i--) {
    next[i] = after
    if (!blank.test(lines[i] ?? '')) after = i
  }
  return next
}
