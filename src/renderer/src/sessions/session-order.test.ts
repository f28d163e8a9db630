import { describe, expect, it } from 'vitest'
import type { SessionRow } from '../db/schema'
import { compareSessions, patchRows } from './session-order'

const row = (id: string, updatedAt: number, title: string | null = null): SessionRow => ({ id, title, createdAt: 0, updatedAt, seq: 1 })
const ids = (rows: readonly SessionRow[]): string[] => rows.map((r) => r.id)

describe('the sidebar’s order', () => {
  it('lists newer activity first, and among equal times the larger id first (the index read backwards)', () => {
    const rows = [row('a', 5), row('b', 9), row('c', 5), row('d', 1)]
    expect(ids([...rows].sort(compareSessions))).toEqual(['b', 'c', 'a', 'd'])
  })

  it('moves a changed chat to its new place and drops a deleted one, keeping the other rows as they were', () => {
    const rows = [row('d', 40), row('c', 30), row('b', 20), row('a', 10)]
    const moved = row('a', 50)
    const next = patchRows(rows, new Map([['a', moved], ['c', undefined]]), { kind: 'end' })
    expect(ids(next)).toEqual(['a', 'd', 'b'])
    expect(next[0]).toBe(moved)
    expect(next[1]).toBe(rows[0])
    expect(next[2]).toBe(rows[2])
  })

  it('adds a new chat in its place, but leaves one that sorts past what was read to the loader', () => {
    const rows = [row('d', 40), row('c', 30)]
    const upTo = { kind: 'key', key: { id: 'c', updatedAt: 30 } } as const
    const next = patchRows(rows, new Map([['n', row('n', 35)], ['old', row('old', 5)]]), upTo)
    expect(ids(next)).toEqual(['d', 'n', 'c'])
    expect(ids(patchRows(rows, new Map([['old', row('old', 5)]]), { kind: 'end' }))).toEqual(['d', 'c', 'old'])
  })

  it('a rename keeps the chat where it is', () => {
    const rows = [row('b', 20), row('a', 10)]
    const next = patchRows(rows, new Map([['a', row('a', 10, 'Groceries')]]), { kind: 'end' })
    expect(next.map((r) => r.title)).toEqual([null, 'Groceries'])
  })
})
