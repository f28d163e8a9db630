import { PARSE_MAX_CHARS, TABLE_PARSED_MAX_ROWS } from './limits'

/**
 * How a block is drawn. Most are parsed as markdown. A block the parser would take seconds over is not: a table of
 * many rows is drawn a row at a time, only the rows in view, and any other very long block is shown as its code, or as plain text.
 */
export type BlockShape =
  | { readonly kind: 'markdown' }
  | { readonly kind: 'table'; readonly head: string; readonly rows: readonly string[] }
  | { readonly kind: 'code'; readonly code: string; readonly language: string | undefined }
  | { readonly kind: 'text' }

const tableDelimiter = /^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/
const fence = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/

export function blockShape(source: string): BlockShape {
  const lines = source.split('\n')
  const [first = '', second = ''] = lines
  if (first.includes('|') && tableDelimiter.test(second)) {
    if (lines.length - 2 > TABLE_PARSED_MAX_ROWS) return { kind: 'table', head: `${first}\n${second}`, rows: lines.slice(2) }
  }
  if (source.length <= PARSE_MAX_CHARS) return { kind: 'markdown' }
  const opening = fence.exec(first)
  if (opening?.[1]) {
    const closing = lines.at(-1)?.trim() ?? ''
    const closed = lines.length > 1 && closing.startsWith(opening[1]) && /^([`~])\1*$/.test(closing)
    return { kind: 'code', code: lines.slice(1, closed ? -1 : undefined).join('\n'), language: opening[2] || undefined }
  }
  return { kind: 'text' }
}
