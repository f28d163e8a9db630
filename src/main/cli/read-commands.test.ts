import { describe, expect, it } from 'vitest'
import { ParleyError, type HistoryPage, type HistorySnapshotRequest } from '../../shared'
import { showChat } from './read-commands'

const chat = { id: 'c1', title: 'Tea', createdAt: 1, updatedAt: 2, leafId: 'a1' }
const messageOf = (id: string, role: 'user' | 'assistant', parentId: string | null, text: string) => ({
  message: { id, sessionId: 'c1', runId: 'r1', role, parentId, parts: [{ type: 'text' as const, text }], status: 'finished' as const, createdAt: 1 },
  createdSeq: id === 'u1' ? 1 : 2
})

describe('parley show', () => {
  it("asks main for a snapshot of the one chat (never every chat's pages) and prints its branch as Markdown", async () => {
    const asked: HistorySnapshotRequest[] = []
    const pages: HistoryPage[] = [
      { seq: 5, sessions: [chat], messages: [messageOf('u1', 'user', null, 'Green or black?')], totals: { sessions: 1, messages: 2 }, next: { snapshotId: 's', session: 0, afterSeq: 1 } },
      { seq: 5, sessions: [], messages: [messageOf('a1', 'assistant', 'u1', 'Green.')], totals: { sessions: 1, messages: 2 }, next: null }
    ]
    const api = {
      historySnapshot: async (request: HistorySnapshotRequest): Promise<HistoryPage> => {
        asked.push(request)
        const page = pages[asked.length - 1]
        if (!page) throw new Error('asked past the last page')
        return page
      }
    }
    const markdown = await showChat(api, 'c1')
    expect(asked).toEqual([{ cursor: null, sessionId: 'c1' }, { cursor: { snapshotId: 's', session: 0, afterSeq: 1 } }])
    expect(markdown).toContain('# Tea')
    expect(markdown).toContain('Green or black?')
    expect(markdown).toContain('Green.')
  })

  it('says there is no such chat, and where to look, when main has none by that id', async () => {
    const api = { historySnapshot: async (): Promise<HistoryPage> => ({ seq: 5, sessions: [], messages: [], totals: { sessions: 0, messages: 0 }, next: null }) }
    const refusal = await showChat(api, 'nope').catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ParleyError)
    expect((refusal as ParleyError).code).toBe('SessionMissing')
    expect((refusal as ParleyError).message).toMatch(/no chat with the id nope: `parley chats` lists them/)
  })
})
