/** How a column's cells line up, as the table's delimiter row says (`:--` left, `--:` right, `:-:` center). */
export type ColumnAlign = 'left' | 'right' | 'center' | undefined

/**
 * The cells of one GFM table row, as written: the outer pipes dropped, split at every pipe that is not escaped
 * (`\|` is a pipe inside a cell, even in a code span, as GFM says), each cell trimmed.
 */
export function rowCells(row: string): string[] {
  let text = row.trim()
  if (text.startsWith('|')) text = text.slice(1)
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1)
  const cells: string[] = []
  let cell = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '\\' && text[i + 1] === '|') {
      cell += '|'
      i++
    } else if (char === '|') {
      cells.push(cell.trim())
      cell = ''
    } else cell += char
  }
  cells.push(cell.trim())
  return cells
}

/** A row's cells fitted to the table's columns: extra cells dropped, missing ones empty (as GFM draws them). */
export function fittedCells(row: string, columns: number): string[] {
  const cells = rowCells(row).slice(0, columns)
  while (cells.length < columns) cells.push('')
  return cells
}

/** Each column's alignment, from the delimiter row under the head. */
export function columnAligns(delimiter: string): ColumnAlign[] {
  return rowCells(delimiter).map((cell) => {
    const left = cell.startsWith(':')
    const right = cell.endsWith(':')
    return left && right ? 'center' : right ? 'right' : left ? 'left' : undefined
  })
}

/** Characters that can start inline markdown (emphasis, code, links, math, HTML, escapes, entities). */
const inlineMarkup = /[\\`*_~[\]<>&$!]|https?:|www\./

/** Whether a cell needs the markdown parser at all: most cells of a long table are plain numbers and words. */
export function cellHasMarkup(cell: string): boolean {
  return inlineMarkup.test(cell)
}

/**
 * A cell's text made safe to parse on its own as inline markdown: a cell is inline content, so a start that would
 * open a block on its own line (a list item, a heading, a quote) is escaped and stays text.
 */
export function asInlineMarkdown(cell: string): string {
  return cell.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2').replace(/^([-+*]|#{1,6})(?=\s|$)/, '\\$1').replace(/^>/, '\\>')
}
