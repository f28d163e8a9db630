import { describe, expect, it } from 'vitest'
import { currentBranch, withoutDeleted, type BranchRow } from './branch'

let seq = 0
const row = (id: string, role: 'user' | 'assistant', parentId?: string | null): BranchRow => ({
  id,
  role,
  createdSeq: ++seq,
  ...(parentId === undefined ? {} : { parentId })
})
const ids = (items: ReturnType<typeof currentBranch>): string[] => items.map((item) => item.message.id)
const switcher = (items: ReturnType<typeof currentBranch>): string[] =>
  items.map((item) => `${item.index + 1}/${item.siblings.length}`)

describe('currentBranch (H3)', () => {
  // u1 ─ a1 ─ u2 ─ a2
  //    └ a1b (regenerated)      u2b (edit of u2, under a1) ─ a2b
  const tree = [
    row('u1', 'user', null),
    row('a1', 'assistant', 'u1'),
    row('u2', 'user', 'a1'),
    row('a2', 'assistant', 'u2'),
    row('a1b', 'assistant', 'u1'),
    row('u2b', 'user', 'a1'),
    row('a2b', 'assistant', 'u2b')
  ]

  it('follows parents up from the leaf, oldest first, leaving other branches out', () => {
    expect(ids(currentBranch(tree, 'a2'))).toEqual(['u1', 'a1', 'u2', 'a2'])
    expect(ids(currentBranch(tree, 'a2b'))).toEqual(['u1', 'a1', 'u2b', 'a2b'])
    expect(ids(currentBranch(tree, 'a1b'))).toEqual(['u1', 'a1b'])
  })

  it('gives each message its siblings: same parent, same role, oldest first', () => {
    const branch = currentBranch(tree, 'a2b')
    expect(switcher(branch)).toEqual(['1/1', '1/2', '2/2', '1/1'])
    expect(branch[1]?.siblings).toEqual(['a1', 'a1b'])
    expect(branch[2]?.siblings).toEqual(['u2', 'u2b'])
  })

  it('edited first prompts are siblings as branch roots', () => {
    const rows = [row('u1', 'user', null), row('a1', 'assistant', 'u1'), row('u1b', 'user', null)]
    const branch = currentBranch(rows, 'u1b')
    expect(ids(branch)).toEqual(['u1b'])
    expect(branch[0]?.siblings).toEqual(['u1', 'u1b'])
  })

  it('a message without parentId follows the one created before it', () => {
    const rows = [row('o1', 'user'), row('o2', 'assistant'), row('n3', 'user', 'o2'), row('n4', 'assistant', 'n3')]
    expect(ids(currentBranch(rows, 'n4'))).toEqual(['o1', 'o2', 'n3', 'n4'])
    expect(switcher(currentBranch(rows, 'n4'))).toEqual(['1/1', '1/1', '1/1', '1/1'])
  })

  it('the newest row is the leaf when the session has none, or one not among the rows', () => {
    const rows = [row('o1', 'user'), row('o2', 'assistant')]
    expect(ids(currentBranch(rows, undefined))).toEqual(['o1', 'o2'])
    expect(ids(currentBranch(rows, 'elsewhere'))).toEqual(['o1', 'o2'])
    expect(currentBranch([], undefined)).toEqual([])
  })

  it('a page of the newest rows gives the newest part of the branch, stopping at the page start', () => {
    const page = tree.slice(2)
    expect(ids(currentBranch(page, 'a2'))).toEqual(['u2', 'a2'])
  })

  it('orders by createdSeq, whatever order the rows come in', () => {
    expect(ids(currentBranch([...tree].reverse(), 'a2'))).toEqual(['u1', 'a1', 'u2', 'a2'])
  })
})

describe('withoutDeleted', () => {
  // p1 ─ q1 ─ p2 ─ q2
  //             └ q2b (regenerated, the leaf)
  const rows = [row('p1', 'user', null), row('q1', 'assistant', 'p1'), row('p2', 'user', 'q1'), row('q2', 'assistant', 'p2'), row('q2b', 'assistant', 'p2')]
  const shown = (deleted: string[], leaf = 'q2b'): string[] => {
    const left = withoutDeleted(rows, leaf, new Set(deleted))
    return ids(currentBranch(left.rows, left.leafId))
  }

  it('a deleted answer with a sibling: the chat shows the sibling, as main will', () => {
    expect(shown(['q2b'])).toEqual(['p1', 'q1', 'p2', 'q2'])
  })

  it('a deleted prompt goes with every answer below it; other ids change nothing', () => {
    expect(shown(['p2'])).toEqual(['p1', 'q1'])
    expect(shown(['some-chat'])).toEqual(['p1', 'q1', 'p2', 'q2b'])
    expect(shown(['q2'])).toEqual(['p1', 'q1', 'p2', 'q2b'])
  })
})
