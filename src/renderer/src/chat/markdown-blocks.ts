const fenceOpen = /^ {0,3}(`{3,}|~{3,})/
const listItem = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:\s|$)/
const blank = /^\s*$/

/**
 * Splits markdown into top-level blocks at blank lines, so each block can be rendered and memoised on its own:
 * while an answer streams, only its last block changes and is parsed again.
 *
 * A blank line does not split inside a fenced code block, before an indented line (a list item's continuation, an
 * indented code block), or between two items of a list, because each of those belongs to the block above it.
 */
export function markdownBlocks(source: string): string[] {
  const lines = source.split('\n')
  const blocks: string[] = []
  let current: string[] = []
  let fence: { char: string; length: number } | undefined
  let inList = false

  const close = (): void => {
    if (current.length > 0) blocks.push(current.join('\n'))
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
      const next = lines.slice(i + 1).find((candidate) => !blank.test(candidate))
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
