/** How many lines `text` has (a final newline does not start one more). */
export function lineCount(text: string): number {
  let count = 1
  for (let at = text.indexOf('\n'); at !== -1 && at < text.length - 1; at = text.indexOf('\n', at + 1)) count++
  return count
}

/** The first `count` lines of `text`, without the newline after the last of them. */
export function firstLines(text: string, count: number): string {
  let end = -1
  for (let seen = 0; seen < count; seen++) {
    end = text.indexOf('\n', end + 1)
    if (end === -1) return text
  }
  return text.slice(0, end)
}
