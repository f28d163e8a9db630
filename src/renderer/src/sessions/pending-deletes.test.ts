import { describe, expect, it } from 'vitest'
import { PendingDeletes, undoMs, type PendingDelete } from './pending-deletes'

/** Timers run by hand. */
function manualTimers() {
  let now = 0
  const due = new Map<number, { at: number; run: () => void }>()
  let next = 1
  return {
    setTimeout: (run: () => void, ms: number) => {
      const handle = next++
      due.set(handle, { at: now + ms, run })
      return handle
    },
    clearTimeout: (handle: unknown) => void due.delete(handle as number),
    advance(ms: number) {
      now += ms
      for (const [handle, timer] of [...due]) {
        if (timer.at > now) continue
        due.delete(handle)
        timer.run()
      }
    }
  }
}

const chat: PendingDelete = { kind: 'chat', id: 's1', sessionId: 's1', title: 'Plans' }

describe('deletions with Undo', () => {
  it('hide at once and reach main only after the Undo time', () => {
    const timers = manualTimers()
    const deletes = new PendingDeletes(() => undefined, timers)
    const sent: string[] = []
    deletes.schedule(chat, async () => void sent.push('s1'))
    expect(deletes.getSnapshot().has('s1')).toBe(true)
    timers.advance(undoMs - 1)
    expect(sent).toEqual([])
    timers.advance(1)
    expect(sent).toEqual(['s1'])
    // Still hidden: main's events take it out of IndexedDB.
    expect(deletes.getSnapshot().has('s1')).toBe(true)
    expect(deletes.pending()).toEqual([])
  })

  it('Undo before the time: nothing reaches main and it shows again; after the time, Undo is refused', () => {
    const timers = manualTimers()
    const deletes = new PendingDeletes(() => undefined, timers)
    const sent: string[] = []
    deletes.schedule(chat, async () => void sent.push('s1'))
    expect(deletes.undo('s1')).toBe(true)
    expect(deletes.getSnapshot().has('s1')).toBe(false)
    timers.advance(undoMs * 2)
    expect(sent).toEqual([])

    deletes.schedule(chat, async () => void sent.push('again'))
    timers.advance(undoMs)
    expect(deletes.undo('s1')).toBe(false)
    expect(sent).toEqual(['again'])
  })

  it('a deletion main refuses comes back into view, and says why', async () => {
    const timers = manualTimers()
    const failed: string[] = []
    const deletes = new PendingDeletes((entry, error) => failed.push(`${entry.id}: ${String(error)}`), timers)
    deletes.schedule(chat, () => Promise.reject(new Error('SessionBusy')))
    timers.advance(undoMs)
    await Promise.resolve()
    await Promise.resolve()
    expect(failed).toEqual(['s1: Error: SessionBusy'])
    expect(deletes.getSnapshot().has('s1')).toBe(false)
  })

  it('leaving the page sends every pending deletion at once, and each once', () => {
    const timers = manualTimers()
    const deletes = new PendingDeletes(() => undefined, timers)
    const sent: string[] = []
    deletes.schedule(chat, async () => void sent.push('s1'))
    deletes.schedule({ kind: 'messages', id: 'm1', sessionId: 's2', messageId: 'm1' }, async () => void sent.push('m1'))
    deletes.commitAll()
    timers.advance(undoMs)
    expect(sent).toEqual(['s1', 'm1'])
  })

  it('a new prompt in a chat sends that chat’s pending deletions first, and only that chat’s', async () => {
    const timers = manualTimers()
    const deletes = new PendingDeletes(() => undefined, timers)
    const sent: string[] = []
    deletes.schedule({ kind: 'messages', id: 'm1', sessionId: 's1', messageId: 'm1' }, async () => void sent.push('m1'))
    deletes.schedule({ kind: 'messages', id: 'm2', sessionId: 's2', messageId: 'm2' }, async () => void sent.push('m2'))
    const first = deletes.commitSession('s1')
    // A prompt sent right after waits on the same promise, so the two go to main in the order they were sent.
    expect(deletes.commitSession('s1')).toBe(first)
    await first
    expect(sent).toEqual(['m1'])
    expect(deletes.pending().map((entry) => entry.id)).toEqual(['m2'])
    expect(deletes.commitSession('s1')).toBeUndefined()
  })
})
