import { describe, expect, it } from 'vitest'
import { fingerprintOf, keepScreen, readKeptScreen } from '../chat/first-screen'
import { memoryStorage, quotaStorage } from '../testing/memory-storage'
import { draftFilesKey, draftKey, forgetDeletedChatDraft, keepDraft, readDraft, type DraftStorage } from './drafts'

describe('drafts', () => {
  it('each chat keeps its own unsent prompt, and the box with no chat its own', () => {
    const storage = memoryStorage()
    keepDraft(storage, 's1', 'half a thought')
    keepDraft(storage, 's2', 'another')
    keepDraft(storage, undefined, 'a first prompt')
    expect(readDraft(storage, 's1')).toBe('half a thought')
    expect(readDraft(storage, 's2')).toBe('another')
    expect(readDraft(storage, undefined)).toBe('a first prompt')
    expect(readDraft(storage, 's3')).toBe('')
    expect(draftKey('s1')).not.toBe(draftKey(undefined))
  })

  it('an emptied box removes the draft: nothing piles up for chats written in once', () => {
    const storage = memoryStorage()
    keepDraft(storage, 's1', 'sent soon')
    keepDraft(storage, 's1', '')
    expect(storage.values.size).toBe(0)
    expect(readDraft(storage, 's1')).toBe('')
  })

  it('storage is written only when the text changes (the composer keeps its draft as it mounts)', () => {
    const storage = memoryStorage()
    const writes: string[] = []
    const counting: DraftStorage = {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => void (writes.push(`set ${value}`), storage.setItem(key, value)),
      removeItem: (key) => void (writes.push('remove'), storage.removeItem(key))
    }
    expect(keepDraft(counting, 's1', '')).toBe(true)
    expect(keepDraft(counting, 's1', 'a')).toBe(true)
    expect(keepDraft(counting, 's1', 'a')).toBe(true)
    expect(keepDraft(counting, 's1', '')).toBe(true)
    expect(keepDraft(counting, 's1', '')).toBe(true)
    expect(writes).toEqual(['set a', 'remove'])
    expect(readDraft(storage, 's1')).toBe('')
  })

  it('storage that refuses (full, disabled, or absent) loses nothing in the box and throws nothing', () => {
    const refusing: DraftStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      }
    }
    expect(keepDraft(refusing, 's1', 'x'.repeat(10))).toBe(false)
    expect(keepDraft(refusing, 's1', '')).toBe(false)
    expect(readDraft(refusing, 's1')).toBe('')
    expect(keepDraft(undefined, 's1', 'x')).toBe(false)
    expect(readDraft(undefined, 's1')).toBe('')
  })

  it('a draft takes the room of the screen kept for the next start when storage is full: words typed come first', () => {
    const storage = quotaStorage(20_000)
    const html = `<p>${'x'.repeat(15_000)}</p>`
    keepScreen(storage, { sessionId: 's1', leafId: 'a1', answers: [{ id: 'a1', fingerprint: fingerprintOf('x'), html }] })
    expect(readKeptScreen(storage)).toBeDefined()
    const draft = 'y'.repeat(8_000)
    expect(keepDraft(storage, 's1', draft)).toBe(true)
    expect(readDraft(storage, 's1')).toBe(draft)
    expect(readKeptScreen(storage)).toBeUndefined()
    // With no screen to give room, a draft past the quota is refused as before (still in the box).
    expect(keepDraft(storage, 's2', 'z'.repeat(15_000))).toBe(false)
  })

  it("a deleted chat's draft goes with it, text and files; other events leave drafts be", () => {
    const storage = memoryStorage()
    keepDraft(storage, 's1', 'never sent')
    keepDraft(storage, 's2', 'kept')
    storage.setItem(draftFilesKey('s1'), '{"v":1,"files":[]}')
    forgetDeletedChatDraft(storage, { type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 1 })
    expect(readDraft(storage, 's1')).toBe('never sent')
    forgetDeletedChatDraft(storage, { type: 'session.deleted', sessionId: 's1', seq: 2, at: 2 })
    expect(readDraft(storage, 's1')).toBe('')
    expect(storage.values.has(draftFilesKey('s1'))).toBe(false)
    expect(readDraft(storage, 's2')).toBe('kept')
  })
})
