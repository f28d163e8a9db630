import { describe, expect, it } from 'vitest'
import type { HistoryPage, WindowCopy } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, freshDatabase, userMessage } from '../testing/history-fixtures'
import { copyBack } from './copy-back'
import { rebuildHistory } from './history-rebuild'
import type { ParleyDatabase } from './schema'

/** A window holding two chats at seq 4: s1 (a prompt and its answer) and s2 (a prompt), as a rebuild writes them. */
async function windowWithTwoChats(): Promise<{ api: FakeParleyApi; db: ParleyDatabase }> {
  const api = new FakeParleyApi()
  const page: HistoryPage = {
    seq: 4,
    sessions: [
      { id: 's1', title: 'One', createdAt: 1, updatedAt: 3, leafId: 'a1' },
      { id: 's2', title: null, createdAt: 4, updatedAt: 4, leafId: 'u2' }
    ],
    messages: [
      { message: userMessage('s1', 'u1', 'hi'), createdSeq: 2 },
      { message: { ...assistantMessage('s1', 'a1'), parts: [{ type: 'text', text: 'hello' }], status: 'finished' }, createdSeq: 3 },
      { message: userMessage('s2', 'u2', 'q', 5), createdSeq: 4 }
    ],
    totals: { sessions: 2, messages: 3 },
    next: null
  }
  api.historySnapshotAnswer = async () => page
  const db = freshDatabase()
  await rebuildHistory({ api, db })
  api.calls.length = 0
  return { api, db }
}

describe("a window's copy sent back to main (its message store was replaced)", () => {
  it('sends every chat with its tree and branch, in calls of at most the batch size, then says it is done', async () => {
    const { api, db } = await windowWithTwoChats()
    const progress: [number, number][] = []
    const result = await copyBack({ api, db, maxChars: 10, onProgress: (done, total) => progress.push([done, total]) })
    expect(result).toEqual({ imported: 0, skipped: 2, messages: 3 })
    expect(api.calls.map((call) => call.method)).toEqual(['restoreLog', 'restoreLog', 'finishLogRestore'])
    const sent = api.calls.filter((call) => call.method === 'restoreLog').flatMap((call) => (call.args[0] as WindowCopy).chats)
    expect(sent.map((chat) => [chat.id, chat.leafId, chat.messages.map((m) => [m.id, m.parentId])])).toEqual([
      ['s1', 'a1', [['u1', null], ['a1', 'u1']]],
      ['s2', 'u2', [['u2', null]]]
    ])
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2]
    ])
    // One call when it fits.
    api.calls.length = 0
    await copyBack({ api, db })
    expect(api.calls.map((call) => call.method)).toEqual(['restoreLog', 'finishLogRestore'])
  })

  it('a window that holds nothing sends nothing and leaves the restore to one that does', async () => {
    const api = new FakeParleyApi()
    expect(await copyBack({ api, db: freshDatabase('parley-empty-window') })).toBeUndefined()
    expect(api.calls).toEqual([])
  })
})
