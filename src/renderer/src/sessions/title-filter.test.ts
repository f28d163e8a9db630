import { describe, expect, it } from 'vitest'
import type { SessionRow } from '../db/schema'
import { filterByTitle, filterTerms } from './title-filter'

const row = (id: string, title: string | null): SessionRow => ({ id, title, createdAt: 0, updatedAt: 0, seq: 1 })
const rows = [row('1', 'Sourdough starter'), row('2', 'Rust lifetimes, explained'), row('3', null), row('4', 'Tax forms 2025'), row('5', 'Crème brûlée à Paris'), row('6', '本地模型')]
const ids = (query: string): string[] => filterByTitle(rows, query).map((r) => r.id)

describe('the sidebar’s filter by title', () => {
  it('matches a substring of the title in any case, a word’s start included', () => {
    expect(ids('DOUGH')).toEqual(['1'])
    expect(ids('rust')).toEqual(['2'])
    expect(ids('life')).toEqual(['2'])
    expect(ids('2025')).toEqual(['4'])
  })

  it('folds accents both ways, as search does, and finds text written without spaces inside it', () => {
    expect(ids('creme brulee')).toEqual(['5'])
    expect(ids('BRÛLÉE')).toEqual(['5'])
    expect(ids('模型')).toEqual(['6'])
  })

  it('needs every word, in any order', () => {
    expect(ids('explained rust')).toEqual(['2'])
    expect(ids('rust sourdough')).toEqual([])
  })

  it('matches an untitled chat by the name it is shown with', () => {
    expect(ids('new chat')).toEqual(['3'])
  })

  it('keeps everything, the same list, when the box is empty or blank', () => {
    expect(filterByTitle(rows, '')).toBe(rows)
    expect(filterByTitle(rows, '   ')).toBe(rows)
    expect(filterTerms('  Rust   Life ')).toEqual(['rust', 'life'])
  })

  it('keeps the list’s order', () => {
    expect(ids('t')).toEqual(['1', '2', '3', '4'])
    expect(ids('r')).toEqual(['1', '2', '4', '5'])
  })
})
