import { describe, expect, it } from 'vitest'
import { maxEventSeq, type ParleyEvent } from './events'
import { createRemoteApi } from './remote-api'
import type { StreamFrame } from './wire'

const busy = (seq: number): ParleyEvent => ({ type: 'session.busy', sessionId: 's', busy: true, seq, at: 0 })

function remote() {
  const sent: StreamFrame[] = []
  const problems: string[] = []
  const made = createRemoteApi(
    { call: async () => undefined, send: (frame) => void sent.push(frame) },
    { reportProblem: (message) => problems.push(message) }
  )
  const push = (...seqs: number[]) => {
    for (const seq of seqs) made.receive({ kind: 'event', event: busy(seq) })
  }
  return { ...made, sent, problems, push }
}

describe('the renderer side of a bridge', () => {
  it('G4: names a run before sending it (both transports), and keeps the name a caller gave', async () => {
    const calls: { method: string; args: unknown[] }[] = []
    const { api } = createRemoteApi({
      call: async (method, args) => {
        calls.push({ method, args })
        const call = args[0] as { runId: string; sessionId: string }
        return { runId: call.runId, sessionId: call.sessionId, text: '', cancelled: false }
      },
      send: () => {}
    })
    const minted = await api.run({ sessionId: 's', prompt: 'p' })
    expect(minted.runId).toMatch(/^[0-9a-f-]{36}$/)
    expect(calls[0]).toEqual({ method: 'run', args: [{ sessionId: 's', prompt: 'p', runId: minted.runId }] })
    await api.run({ sessionId: 's', prompt: 'p', runId: 'mine' })
    expect(calls[1]?.args[0]).toMatchObject({ runId: 'mine' })
  })

  it('refuses a since past maxEventSeq before anything is sent to main', () => {
    const { api, sent } = remote()
    expect(() => api.subscribe({ since: maxEventSeq + 1 }, () => {})).toThrow(/a seq from 0 to/)
    expect(sent).toEqual([])
    api.subscribe({ since: maxEventSeq }, () => {})
    expect(sent).toEqual([{ kind: 'subscribe', since: maxEventSeq, stream: 1 }])
  })

  it('shares one event stream between listeners; an earlier since asks main to replay, and nobody sees a seq twice', () => {
    const { api, sent, push } = remote()
    const a: number[] = []
    const b: number[] = []
    const c: number[] = []
    api.subscribe({ since: 2 }, (e) => a.push(e.seq))
    expect(sent).toEqual([{ kind: 'subscribe', since: 2, stream: 1 }])
    push(3, 4, 5)
    api.subscribe({ since: 7 }, (e) => b.push(e.seq)) // ahead of the stream: nothing to replay
    expect(sent).toHaveLength(1)
    api.subscribe({ since: 1 }, (e) => c.push(e.seq)) // behind it: replay from the lowest seq anyone needs
    expect(sent.at(-1)).toEqual({ kind: 'subscribe', since: 1, stream: 2 })
    push(2, 3, 4, 5, 6, 7, 8)
    expect(a).toEqual([3, 4, 5, 6, 7, 8])
    expect(b).toEqual([8])
    expect(c).toEqual([2, 3, 4, 5, 6, 7, 8])
  })

  it('resumes after a reconnect from the last seq every listener has', () => {
    const { api, sent, push, resume } = remote()
    api.subscribe({ since: 0 }, () => {})
    api.subscribe({ since: 0 }, () => {})
    push(1, 2, 3)
    sent.length = 0
    resume()
    expect(sent).toEqual([{ kind: 'subscribe', since: 3, stream: 2 }])
  })

  it('F1: frames of a stream it replaced are dropped, so a listener that asked for a replay still gets all of it', () => {
    // Main was streaming (stream 1) when a listener came that needs seqs from 1: the subscribe that replaces the
    // stream crosses main's live frames on the wire. Taken, live seq 9 would have made the replay of 2 to 8 "seen".
    const { api, sent, receive } = remote()
    const first: number[] = []
    const late: number[] = []
    api.subscribe({ since: 5 }, (e) => first.push(e.seq))
    receive({ kind: 'event', event: busy(6), stream: 1 })
    api.subscribe({ since: 1 }, (e) => late.push(e.seq))
    expect(sent.at(-1)).toEqual({ kind: 'subscribe', since: 1, stream: 2 })
    receive({ kind: 'event', event: busy(9), stream: 1 })
    for (const seq of [2, 3, 4, 5, 6, 7, 8, 9]) receive({ kind: 'event', event: busy(seq), stream: 2 })
    expect(late).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(first).toEqual([6, 7, 8, 9])
  })

  it('sends unsubscribe only when the last one goes, and only once', () => {
    const { api, sent } = remote()
    const first = api.subscribe({ since: 0 }, () => {})
    const second = api.subscribe({ since: 0 }, () => {})
    first()
    first()
    expect(sent.filter((f) => f.kind === 'unsubscribe')).toHaveLength(0)
    second()
    expect(sent.filter((f) => f.kind === 'unsubscribe')).toHaveLength(1)
  })

  it('a listener that throws is reported and the others still get the event', () => {
    const { api, push, problems } = remote()
    const got: number[] = []
    api.subscribe({ since: 0 }, () => {
      throw new Error('boom')
    })
    api.subscribe({ since: 0 }, (e) => got.push(e.seq))
    push(1)
    expect(got).toEqual([1])
    expect(problems).toHaveLength(1)
  })

  it('refuses a since that is not a seq', () => {
    const { api } = remote()
    expect(() => api.subscribe({ since: -1 }, () => {})).toThrow(expect.objectContaining({ code: 'BadRequest' }))
    expect(() => api.subscribe({ since: Number.NaN }, () => {})).toThrow(expect.objectContaining({ code: 'BadRequest' }))
  })
})
