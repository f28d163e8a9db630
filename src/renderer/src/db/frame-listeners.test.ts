import { describe, expect, it } from 'vitest'
import { FrameListeners } from './frame-listeners'

describe('FrameListeners', () => {
  it('tells every listener once per frame, however many changes came in it, and not after it unsubscribed', () => {
    const frames: (() => void)[] = []
    const listeners = new FrameListeners((callback) => frames.push(callback))
    const heard: string[] = []
    listeners.subscribe(() => heard.push('a'))
    const stop = listeners.subscribe(() => heard.push('b'))
    listeners.changed()
    listeners.changed()
    expect(frames).toHaveLength(1)
    frames[0]?.()
    expect(heard).toEqual(['a', 'b'])
    stop()
    listeners.changed()
    expect(frames).toHaveLength(2)
    frames[1]?.()
    expect(heard).toEqual(['a', 'b', 'a'])
  })
})
