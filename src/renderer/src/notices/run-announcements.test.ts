import { describe, expect, it } from 'vitest'
import type { ParleyEvent, RunComplete } from '../../../shared'
import { announcementOf, RunAnnouncements } from './run-announcements'

const complete = (fields: Partial<RunComplete>): RunComplete => ({ runId: 'r1', sessionId: 's1', text: 'An answer.', cancelled: false, ...fields })
const event = (body: RunComplete, seq = 1): ParleyEvent => ({ type: 'run.complete', complete: body, seq, at: 0 })

describe('RunAnnouncements', () => {
  it('says how each run ended, once, as its RunComplete is heard; other events say nothing', () => {
    expect(announcementOf(complete({}))).toBe('The answer is in.')
    expect(announcementOf(complete({ cancelled: true }))).toBe('The answer was stopped.')
    expect(announcementOf(complete({ error: 'The model server is down.' }))).toBe('The answer failed: The model server is down.')
    expect(announcementOf(complete({ text: '  ' }))).toBe('The answer came back empty.')
    const store = new RunAnnouncements()
    store.take({ type: 'session.busy', sessionId: 's1', busy: true, seq: 1, at: 0 })
    expect(store.getSnapshot()).toBeUndefined()
    store.take(event(complete({})))
    store.take(event(complete({ runId: 'r2', sessionId: 's2', cancelled: true }), 2))
    expect(store.getSnapshot()).toEqual({ sessionId: 's2', text: 'The answer was stopped.', serial: 2 })
  })
})
