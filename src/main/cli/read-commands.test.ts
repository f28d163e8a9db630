import { describe, expect, it } from 'vitest'
import { ParleyError, type HistoryPage, type HistorySnapshotRequest, type ParleyApi, type Status } from '../../shared'
import { showChat, statusText } from './read-commands'

const chat = { id: 'c1', title: 'Tea', createdAt: 1, updatedAt: 2, leafId: 'a1' }
/** A message as a snapshot sends it; `parentId` undefined: a message from before branches, whose parent is the one made before it. */
const messageOf = (id: string, role: 'user' | 'assistant', parentId: string | null | undefined, text: string, createdSeq: number) => ({
  message: {
    id,
    sessionId: 'c1',
    runId: 'r1',
    role,
    ...(parentId === undefined ? {} : { parentId }),
    parts: [{ type: 'text' as const, text }],
    status: 'finished' as const,
    createdAt: createdSeq
  },
  createdSeq
})

/** A fake main answering `pages` in turn, and the requests it was asked. */
function mainWith(pages: HistoryPage[]): { api: Pick<ParleyApi, 'historySnapshot'>; asked: HistorySnapshotRequest[] } {
  const asked: HistorySnapshotRequest[] = []
  const api = {
    historySnapshot: async (request: HistorySnapshotRequest): Promise<HistoryPage> => {
      asked.push(request)
      const page = pages[asked.length - 1]
      if (!page) throw new Error('asked past the last page')
      return page
    }
  }
  return { api, asked }
}

describe('parley show', () => {
  it("asks main for a snapshot of the one chat (never every chat's pages) and prints its branch as Markdown", async () => {
    const totals = { sessions: 1, messages: 2 }
    const { api, asked } = mainWith([
      {
        seq: 5,
        sessions: [chat],
        messages: [messageOf('a1', 'assistant', 'u1', 'Green.', 2)],
        totals,
        next: { snapshotId: 's', session: 0, beforeSeq: 2 }
      },
      { seq: 5, sessions: [], messages: [messageOf('u1', 'user', null, 'Green or black?', 1)], totals, next: null }
    ])
    const markdown = await showChat(api, 'c1')
    expect(asked).toEqual([{ cursor: null, sessionId: 'c1' }, { cursor: { snapshotId: 's', session: 0, beforeSeq: 2 } }])
    expect(markdown).toContain('# Tea')
    expect(markdown).toContain('Green or black?')
    expect(markdown).toContain('Green.')
  })

  it('prints a chat main sent newest first in created order, the branch shown, older messages from before branches included', async () => {
    // u1, a1: from before branches (each one's parent is the message made before it). u2 was edited into u3: the
    // branch shown is u1, a1, u3, a3. Main sends the newest first, two to a page.
    const totals = { sessions: 1, messages: 6 }
    const { api } = mainWith([
      {
        seq: 9,
        sessions: [{ ...chat, leafId: 'a3' }],
        messages: [messageOf('a3', 'assistant', 'u3', 'Oolong.', 6), messageOf('u3', 'user', 'a1', 'Which tea is half green?', 5)],
        totals,
        next: { snapshotId: 's', session: 0, beforeSeq: 5 }
      },
      {
        seq: 9,
        sessions: [],
        messages: [messageOf('a2', 'assistant', 'u2', 'Black.', 4), messageOf('u2', 'user', 'a1', 'Which is stronger?', 3)],
        totals,
        next: { snapshotId: 's', session: 0, beforeSeq: 3 }
      },
      {
        seq: 9,
        sessions: [],
        messages: [messageOf('a1', 'assistant', undefined, 'Green.', 2), messageOf('u1', 'user', undefined, 'Green or black?', 1)],
        totals,
        next: null
      }
    ])
    const said = [['You', 'Green or black?'], ['Assistant', 'Green.'], ['You', 'Which tea is half green?'], ['Assistant', 'Oolong.']]
    expect(await showChat(api, 'c1')).toBe(['# Tea', '', ...said.flatMap(([who, text]) => [`## ${who}`, '', text, ''])].join('\n'))
  })

  it('says there is no such chat, and where to look, when main has none by that id', async () => {
    const api = { historySnapshot: async (): Promise<HistoryPage> => ({ seq: 5, sessions: [], messages: [], totals: { sessions: 0, messages: 0 }, next: null }) }
    const refusal = await showChat(api, 'nope').catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ParleyError)
    expect((refusal as ParleyError).code).toBe('SessionMissing')
    expect((refusal as ParleyError).message).toMatch(/no chat with the id nope: `parley chats` lists them/)
  })
})

describe('parley status', () => {
  const detail = 'Ollama is loading llama3.2 into memory (the first answer after a start takes longer).'
  const refusal = 'The model server is rate limiting requests (429).'
  it('C4, C6: says under a chat what its active run waits on before its first token: the next try of a rate limit, the model loading', () => {
    const status: Status = {
      sessions: [
        { sessionId: 'c1', busy: true, activeRunId: 'r1', queue: [], loading: { runId: 'r1', detail } },
        { sessionId: 'c2', busy: true, activeRunId: 'r2', queue: [], retry: { runId: 'r2', attempt: 2, retryAt: 21_500, detail: refusal, status: 429 } },
        { sessionId: 'c3', busy: true, activeRunId: 'r3', queue: [], retry: { runId: 'r3', attempt: 1, retryAt: 5_000, detail: 'Overloaded.', status: 529 } }
      ],
      providers: [],
      lastSeq: 9
    }
    expect(statusText(status, new Map([['c1', 'Tea']]), 10_000)).toBe(
      [
        'c1\tTea\tanswering (run r1), 0 queued',
        `  ${detail}`,
        'c2\tUntitled chat\tanswering (run r2), 0 queued',
        `  rate limited (try 2), trying again in 12 s: ${refusal}`,
        'c3\tUntitled chat\tanswering (run r3), 0 queued',
        '  the server is busy (try 1), trying again now: Overloaded.',
        ''
      ].join('\n')
    )
  })
})
