import { describe, expect, it } from 'vitest'
import { findUnsafeShape, ipcChannelFor, readClientFrame, serverFrameSchema } from './wire'

describe('reading a frame from the renderer', () => {
  it('accepts each kind of frame', () => {
    const frames = [
      { kind: 'call', id: 1, method: 'status', args: [] },
      { kind: 'subscribe', since: 0 },
      { kind: 'unsubscribe' }
    ]
    for (const frame of frames) expect(readClientFrame(frame), frame.kind).toEqual({ ok: true, frame })
  })

  it('refuses anything else with a BadRequest that names the call when it can', () => {
    const refusals: [unknown, object][] = [
      ['text', { callId: null, error: { code: 'BadRequest' } }],
      [{ kind: 'nope' }, { error: { code: 'BadRequest', message: expect.stringContaining('"nope"') } }],
      [{ kind: 'call', id: 4, method: 'status' }, { callId: 4 }],
      [{ kind: 'call', id: -4, method: 'status', args: [] }, { callId: null }],
      // Main no longer asks the window for history (H1): these kinds are unknown now.
      [{ kind: 'history.answer', id: 5, messages: [] }, { callId: null, error: { code: 'BadRequest' } }],
      [{ kind: 'history.attach' }, { callId: null, error: { code: 'BadRequest' } }]
    ]
    for (const [frame, expected] of refusals) expect(readClientFrame(frame)).toMatchObject({ ok: false, ...expected })
    expect(readClientFrame(JSON.parse('{"kind":"unsubscribe","__proto__":{"x":1}}'))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('__proto__') }
    })
  })

  it('keeps error messages short even for huge bad frames', () => {
    const read = readClientFrame({ kind: 'subscribe', since: 'x'.repeat(1_000_000), more: 'y'.repeat(1_000_000) })
    expect(read.ok).toBe(false)
    if (!read.ok) expect(read.error.message.length).toBeLessThan(500)
  })
})

describe('the shape walk', () => {
  it('finds deep nesting without recursing, and __proto__ keys at any depth', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(findUnsafeShape(deep, 64)).toContain('deeper than 64')
    expect(findUnsafeShape({ a: [{ b: JSON.parse('{"__proto__":1}') }] }, 64)).toContain('__proto__')
    expect(findUnsafeShape({ a: [{ b: { c: 'fine', constructor: 1 } }] }, 64)).toBeNull()
    expect(findUnsafeShape('x'.repeat(10), 0)).toBeNull()
  })
})

describe('IPC channels and server frames', () => {
  it('names a channel per kind', () => {
    expect(ipcChannelFor('subscribe')).toBe('parley:subscribe')
    expect(ipcChannelFor('event')).toBe('parley:event')
  })

  it('validates events inside event frames', () => {
    const event = { type: 'session.busy', sessionId: 's', busy: true, seq: 1, at: 0 }
    expect(serverFrameSchema.safeParse({ kind: 'event', event }).success).toBe(true)
    expect(serverFrameSchema.safeParse({ kind: 'event', event: { ...event, seq: 0 } }).success).toBe(false)
    expect(serverFrameSchema.safeParse({ kind: 'result', id: 1 }).success).toBe(true)
  })
})

describe('readClientFrame: a bad frame', () => {
  it('formats only the first few problems of any invalid frame', () => {
    const read = readClientFrame({ kind: 'call', id: 1, method: 7, args: 'x' })
    expect(read.ok).toBe(false)
    if (!read.ok) expect(read.error.message.length).toBeLessThan(400)
  })
})
