import { describe, expect, it } from 'vitest'
import { Attention, followWindow, type WindowSignals } from './attention'

/** A window whose visibility and focus the test sets, firing the events a browser would. */
function fakeWindow(): WindowSignals & { set(visible: boolean, focused: boolean): void } {
  const document = Object.assign(new EventTarget(), {
    visibilityState: 'visible' as DocumentVisibilityState,
    focused: true,
    hasFocus(): boolean {
      return this.focused
    }
  })
  const window = new EventTarget()
  return {
    document,
    window,
    set(visible, focused) {
      const wasVisible = document.visibilityState === 'visible'
      document.visibilityState = visible ? 'visible' : 'hidden'
      document.focused = focused
      if (wasVisible !== visible) document.dispatchEvent(new Event('visibilitychange'))
      window.dispatchEvent(new Event(focused ? 'focus' : 'blur'))
    }
  }
}

describe('Attention', () => {
  it('watches the open chat only while the window is active', () => {
    const attention = new Attention()
    attention.show('a')
    expect(attention.watching('a')).toBe(true)
    expect(attention.watching('b')).toBe(false)
    attention.setWindowActive(false)
    expect(attention.watching('a')).toBe(false)
  })

  it('follows the window: hidden or unfocused is not looking', () => {
    const attention = new Attention()
    const signals = fakeWindow()
    const stop = followWindow(attention, signals)
    attention.show('a')
    signals.set(true, false)
    expect(attention.watching('a')).toBe(false)
    signals.set(true, true)
    expect(attention.watching('a')).toBe(true)
    signals.set(false, false)
    expect(attention.getSnapshot().windowActive).toBe(false)

    stop()
    signals.set(true, true)
    expect(attention.getSnapshot().windowActive).toBe(false)
  })

  it('tells its subscribers only about changes', () => {
    const attention = new Attention()
    let heard = 0
    attention.subscribe(() => (heard += 1))
    attention.show('a')
    attention.show('a')
    attention.setWindowActive(true)
    attention.setWindowActive(false)
    expect(heard).toBe(2)
  })
})
