import { describe, expect, it } from 'vitest'
import { asInlineMarkdown, cellHasMarkup, columnAligns, fittedCells, rowCells } from './table-rows'

describe('table rows', () => {
  it('splits a row at its unescaped pipes, with or without the outer ones', () => {
    expect(rowCells('| 1 | one |')).toEqual(['1', 'one'])
    expect(rowCells('1 | one')).toEqual(['1', 'one'])
    expect(rowCells('| a \\| b | `x \\| y` |')).toEqual(['a | b', '`x | y`'])
    expect(rowCells('|  | last |')).toEqual(['', 'last'])
    expect(rowCells('| ends with a pipe \\|')).toEqual(['ends with a pipe |'])
  })

  it('fits a row to the columns of the head', () => {
    expect(fittedCells('| 1 | 2 | 3 |', 2)).toEqual(['1', '2'])
    expect(fittedCells('| 1 |', 3)).toEqual(['1', '', ''])
  })

  it('reads each column alignment from the delimiter row', () => {
    expect(columnAligns('|:---|---:|:-:|---|')).toEqual(['left', 'right', 'center', undefined])
  })

  it('sends only cells with markup to the parser, and keeps a cell inline', () => {
    expect(cellHasMarkup('12,586,269,025')).toBe(false)
    expect(cellHasMarkup('plain words')).toBe(false)
    expect(cellHasMarkup('**bold**')).toBe(true)
    expect(cellHasMarkup('`code`')).toBe(true)
    expect(cellHasMarkup('$x^2$')).toBe(true)
    expect(asInlineMarkdown('1. first')).toBe('1\\. first')
    expect(asInlineMarkdown('- item')).toBe('\\- item')
    expect(asInlineMarkdown('# not a heading')).toBe('\\# not a heading')
    expect(asInlineMarkdown('**bold**')).toBe('**bold**')
  })
})
