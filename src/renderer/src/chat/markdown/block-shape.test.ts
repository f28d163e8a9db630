import { describe, expect, it } from 'vitest'
import { blockShape } from './block-shape'
import { PARSE_MAX_CHARS, TABLE_PARSED_MAX_ROWS } from './limits'

const table = (rows: number): string =>
  ['| n | square |', '|---:|---|', ...Array.from({ length: rows }, (_, i) => `| ${i} | ${i * i} |`)].join('\n')

describe('blockShape', () => {
  it('parses ordinary blocks, small tables and code as markdown', () => {
    expect(blockShape('Some *text*')).toEqual({ kind: 'markdown' })
    expect(blockShape(table(TABLE_PARSED_MAX_ROWS))).toEqual({ kind: 'markdown' })
    expect(blockShape('```ts\nconst a = 1\n```')).toEqual({ kind: 'markdown' })
  })

  it('splits a table of many rows into its head and rows, to draw only the rows in view', () => {
    const shape = blockShape(table(3_000))
    expect(shape.kind).toBe('table')
    if (shape.kind !== 'table') return
    expect(shape.head).toBe('| n | square |\n|---:|---|')
    expect(shape.rows).toHaveLength(3_000)
    expect(shape.rows[2]).toBe('| 2 | 4 |')
  })

  it('takes a very long fenced block as its code and language, without parsing it', () => {
    const code = 'x'.repeat(PARSE_MAX_CHARS)
    expect(blockShape(`\`\`\`js\n${code}\n\`\`\``)).toEqual({ kind: 'code', code, language: 'js' })
    expect(blockShape(`~~~\n${code}`)).toEqual({ kind: 'code', code, language: undefined })
  })

  it('shows any other very long block as plain text', () => {
    expect(blockShape('y'.repeat(1_000_000))).toEqual({ kind: 'text' })
  })
})
