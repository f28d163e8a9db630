import { describe, expect, it } from 'vitest'
import { titleEdit } from './title-edit'

describe('a title typed to rename a chat', () => {
  it('is trimmed and sent when it differs from the title now', () => {
    expect(titleEdit('  Tomato soup ', 'Soup')).toEqual({ kind: 'rename', title: 'Tomato soup' })
    expect(titleEdit('Soup', '')).toEqual({ kind: 'rename', title: 'Soup' })
  })

  it('is not sent again when it is the title now', () => {
    expect(titleEdit(' Soup ', 'Soup')).toEqual({ kind: 'unchanged' })
  })

  it('is refused when empty or only spaces', () => {
    expect(titleEdit('', 'Soup')).toEqual({ kind: 'empty' })
    expect(titleEdit(' \t\n ', 'Soup')).toEqual({ kind: 'empty' })
  })
})
