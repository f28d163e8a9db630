import { describe, expect, it } from 'vitest'
import type { Call } from '../../../shared'
import { SessionActivity } from '../activity/session-activity'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { assistantMessage, freshDatabase, userMessage } from '../testing/history-fixtures'
import { canRetry, retryRun } from './retry-run'

async function chatWithFailedAnswer() {
  const db = freshDatabase()
  const failed = { ...assistantMessage('s1', 'a1', 3, 'run-1'), status: 'finished' as const, finishReason: 'error' as const }
  await db.messages.bulkPut([
    { ...userMessage('s1', 'u1', 'tell me a story', 2, 'run-1'), seq: 2, createdSeq: 2 },
    { ...failed, seq: 4, createdSeq: 3 }
  ])
  return { db, failed }
}

describe('canRetry', () => {
  it('offers Retry on failed and interrupted answers only', () => {
    expect(canRetry({ role: 'assistant', status: 'finished', finishReason: 'error' })).toBe(true)
    expect(canRetry({ role: 'assistant', status: 'finished', finishReason: 'interrupted' })).toBe(true)
    expect(canRetry({ role: 'assistant', status: 'finished', finishReason: 'end_turn' })).toBe(false)
    expect(canRetry({ role: 'assistant', status: 'finished', finishReason: 'canceled' })).toBe(false)
    expect(canRetry({ role: 'assistant', status: 'streaming' })).toBe(false)
    expect(canRetry({ role: 'user', status: 'finished' })).toBe(false)
  })
})

describe('retryRun', () => {
  it("H3: answers the failed run's user message again, as a new run in the same chat, without a second copy", async () => {
    const { db, failed } = await chatWithFailedAnswer()
    const api = new FakeParleyApi()
    const outcome = await retryRun({ api, activity: new SessionActivity(), db, newRunId: () => 'run-2' }, failed)
    expect(outcome).toMatchObject({ ok: true, sessionId: 's1' })
    const sent = api.calls.filter((call) => call.method === 'enqueue').map((call) => call.args[0] as Call)
    expect(sent).toEqual([{ sessionId: 's1', runId: 'run-2', prompt: 'tell me a story', retryOf: 'u1' }])
  })

  it('H3: a retried answer that failed again is retried from its parent, the same user message', async () => {
    const { db } = await chatWithFailedAnswer()
    const again = {
      ...assistantMessage('s1', 'a2', 5, 'run-2'),
      status: 'finished' as const,
      finishReason: 'error' as const,
      parentId: 'u1'
    }
    await db.messages.put({ ...again, seq: 6, createdSeq: 5 })
    const api = new FakeParleyApi()
    await retryRun({ api, activity: new SessionActivity(), db, newRunId: () => 'run-3' }, again)
    const sent = api.calls.filter((call) => call.method === 'enqueue').map((call) => call.args[0] as Call)
    expect(sent).toEqual([{ sessionId: 's1', runId: 'run-3', prompt: 'tell me a story', retryOf: 'u1' }])
  })

  it('says so, and sends nothing, when the prompt is not in the history', async () => {
    const db = freshDatabase()
    const api = new FakeParleyApi()
    const outcome = await retryRun({ api, activity: new SessionActivity(), db }, { sessionId: 's1', runId: 'gone' })
    expect(outcome).toMatchObject({ ok: false, error: "its prompt is not in this chat's history" })
    expect(api.calls.filter((call) => call.method === 'enqueue')).toEqual([])
  })
})
