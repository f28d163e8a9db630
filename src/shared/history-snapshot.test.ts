import { describe, expect, it } from 'vitest'
import { historySnapshotRequestSchema } from './history-snapshot'

describe('historySnapshot requests', () => {
  it('start a snapshot of everything or of one chat, continue one by its cursor, and refuse a chat id beside a cursor', () => {
    expect(historySnapshotRequestSchema.safeParse({ cursor: null }).success).toBe(true)
    expect(historySnapshotRequestSchema.safeParse({ cursor: null, sessionId: 'c1' }).success).toBe(true)
    const cursor = { snapshotId: 's', session: 0, beforeSeq: 3 }
    expect(historySnapshotRequestSchema.safeParse({ cursor }).success).toBe(true)
    // The cursor once went on after a seq (oldest first); a window still sending that is refused, not misread.
    expect(historySnapshotRequestSchema.safeParse({ cursor: { snapshotId: 's', session: 0, afterSeq: 3 } }).success).toBe(false)
    const both = historySnapshotRequestSchema.safeParse({ cursor, sessionId: 'c1' })
    expect(both.success).toBe(false)
    expect(both.error?.issues[0]?.path).toEqual(['sessionId'])
    expect(historySnapshotRequestSchema.safeParse({ cursor: null, sessionId: '' }).success).toBe(false)
    expect(historySnapshotRequestSchema.safeParse({ cursor: null, chat: 'c1' }).success).toBe(false)
  })
})
