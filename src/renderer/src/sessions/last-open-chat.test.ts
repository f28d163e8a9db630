import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import type { PreferenceStorage } from '../look/theme'
import { freshDatabase } from '../testing/history-fixtures'
import { keepLastOpenChat, lastOpenChatToShow, readLastOpenChat } from './last-open-chat'

function memoryStorage(): PreferenceStorage & { values: Map<string, string> } {
  const values = new Map<string, string>()
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) }
}

const refusing: PreferenceStorage = {
  getItem: () => {
    throw new Error('SecurityError')
  },
  setItem: () => {
    throw new Error('QuotaExceededError')
  }
}

describe('the chat a start opens', () => {
  it('is the one shown last, while this window still has it', async () => {
    const db = freshDatabase()
    await db.sessions.bulkPut([
      { id: 'older', title: 'Older', createdAt: 1, updatedAt: 1, seq: 1 },
      { id: 'newer', title: 'Newer', createdAt: 2, updatedAt: 2, seq: 2 }
    ])
    const storage = memoryStorage()
    keepLastOpenChat(storage, 'older')
    expect(readLastOpenChat(storage)).toBe('older')
    expect(await lastOpenChatToShow(db, storage)).toBe('older')
    // Deleted meanwhile (from the command line, another window): none, so the newest opens.
    await db.sessions.delete('older')
    expect(await lastOpenChatToShow(db, storage)).toBeUndefined()
  })

  it('is written only when it changes (a start shows the chat kept)', () => {
    const storage = memoryStorage()
    const writes: string[] = []
    const counting: PreferenceStorage = { getItem: storage.getItem, setItem: (key, value) => void (writes.push(value), storage.setItem(key, value)) }
    keepLastOpenChat(counting, 'older')
    keepLastOpenChat(counting, 'older')
    keepLastOpenChat(counting, 'newer')
    expect(writes).toEqual(['older', 'newer'])
    expect(readLastOpenChat(storage)).toBe('newer')
  })

  it('is none when nothing was kept, the kept value is not a chat id, or storage refuses', async () => {
    const db = freshDatabase()
    expect(await lastOpenChatToShow(db, memoryStorage())).toBeUndefined()
    const damaged = memoryStorage()
    damaged.values.set('parley.lastOpenChat', '')
    expect(readLastOpenChat(damaged)).toBeUndefined()
    expect(await lastOpenChatToShow(db, undefined)).toBeUndefined()
    keepLastOpenChat(refusing, 'older')
    expect(readLastOpenChat(refusing)).toBeUndefined()
    expect(await lastOpenChatToShow(db, refusing)).toBeUndefined()
  })
})
