import { describe, expect, it } from 'vitest'
import { removalOf } from './branch-removal'

// u1 ─ a1 ─ u2 ─ a2
//         └ u2b ─ a2b
const tree = [
  { id: 'u1', parentId: null },
  { id: 'a1', parentId: 'u1' },
  { id: 'u2', parentId: 'a1' },
  { id: 'a2', parentId: 'u2' },
  { id: 'u2b', parentId: 'a1' },
  { id: 'a2b', parentId: 'u2b' }
]

describe('removalOf', () => {
  it('takes the message and the branch below it, oldest first', () => {
    expect(removalOf(tree, 'a1', 'a2b').messageIds).toEqual(['a1', 'u2', 'a2', 'u2b', 'a2b'])
  })

  it('keeps the leaf when it is not below the message', () => {
    expect(removalOf(tree, 'u2', 'a2b')).toEqual({ messageIds: ['u2', 'a2'], leafId: 'a2b' })
  })

  it('moves the leaf to the newest sibling branch left, else to the parent, else to nothing', () => {
    expect(removalOf(tree, 'u2b', 'a2b').leafId).toBe('a2')
    expect(removalOf(tree, 'a2b', 'a2b').leafId).toBe('u2b')
    expect(removalOf(tree, 'u1', 'a2').leafId).toBeNull()
  })
})
