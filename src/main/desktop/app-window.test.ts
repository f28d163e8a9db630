import { describe, expect, it } from 'vitest'
import { AppWindow, type WindowLike } from './app-window'

/** A window without Electron: it records what was done to it, and the test plays the user closing it. */
class FakeWindow implements WindowLike {
  readonly calls: string[] = []
  visible = true
  focused = true
  minimized = false
  destroyed = false
  private closeListeners: ((event: { preventDefault(): void }) => void)[] = []
  private closedListeners: (() => void)[] = []

  isDestroyed = (): boolean => this.destroyed
  isVisible = (): boolean => this.visible
  isFocused = (): boolean => this.focused
  isMinimized = (): boolean => this.minimized
  show(): void {
    this.calls.push('show')
    this.visible = true
  }
  hide(): void {
    this.calls.push('hide')
    this.visible = false
    this.focused = false
  }
  focus(): void {
    this.calls.push('focus')
    this.focused = true
  }
  restore(): void {
    this.calls.push('restore')
    this.minimized = false
  }
  on(_event: 'close', listener: (event: { preventDefault(): void }) => void): this {
    this.closeListeners.push(listener)
    return this
  }
  once(_event: 'closed', listener: () => void): this {
    this.closedListeners.push(listener)
    return this
  }
  /** The user (or app.quit) closes the window; unless a listener prevents it, it is destroyed. */
  close(): 'closed' | 'kept' {
    let prevented = false
    for (const listener of this.closeListeners) listener({ preventDefault: () => void (prevented = true) })
    if (prevented) return 'kept'
    this.destroyed = true
    for (const listener of this.closedListeners) listener()
    return 'closed'
  }
}

function appWindow(settings: { closeToTray: boolean; hasTray?: boolean }) {
  const made: FakeWindow[] = []
  const app = new AppWindow({
    create: () => {
      const window = new FakeWindow()
      made.push(window)
      return window
    },
    closeToTray: () => settings.closeToTray,
    hasTray: () => settings.hasTray ?? true
  })
  return { app, made, settings }
}

describe('the app window', () => {
  it('is made on the first show, and shows itself (no show call before its page is ready)', () => {
    const { app, made } = appWindow({ closeToTray: true })
    expect(app.state()).toEqual({ visible: false, focused: false })
    expect(app.show()).toBe('made')
    expect(made).toHaveLength(1)
    expect(made[0]?.calls).toEqual([])
  })

  it('a second launch, the tray or a notification brings back the same window: restored, shown, focused', () => {
    const { app, made } = appWindow({ closeToTray: true })
    app.show()
    const window = made[0] as FakeWindow
    window.minimized = true
    window.focused = false
    expect(app.show()).toBe('shown')
    expect(made).toHaveLength(1)
    expect(window.calls).toEqual(['restore', 'show', 'focus'])
    expect(app.state()).toEqual({ visible: true, focused: true })
  })

  it('closing hides it to the tray when close-to-tray is on; showing it again reuses it', () => {
    const { app, made } = appWindow({ closeToTray: true })
    app.show()
    const window = made[0] as FakeWindow
    expect(window.close()).toBe('kept')
    expect(app.state()).toEqual({ visible: false, focused: false })
    app.show()
    expect(made).toHaveLength(1)
    expect(window.calls).toEqual(['hide', 'show', 'focus'])
  })

  it('reads the setting at each close, so turning close-to-tray off applies at once', () => {
    const { app, made, settings } = appWindow({ closeToTray: true })
    app.show()
    settings.closeToTray = false
    expect((made[0] as FakeWindow).close()).toBe('closed')
  })

  it('really closes while quitting, and a later show (macOS dock) makes a new window', () => {
    const { app, made } = appWindow({ closeToTray: true })
    app.show()
    app.quit()
    expect((made[0] as FakeWindow).close()).toBe('closed')
    expect(app.current()).toBeUndefined()
    expect(app.state()).toEqual({ visible: false, focused: false })
    expect(app.show()).toBe('made')
    expect(made).toHaveLength(2)
  })

  it('really closes when there is no tray icon to bring it back from', () => {
    const { app, made } = appWindow({ closeToTray: true, hasTray: false })
    app.show()
    expect((made[0] as FakeWindow).close()).toBe('closed')
  })

  it('a minimized window counts as not visible, for notifications', () => {
    const { app, made } = appWindow({ closeToTray: true })
    app.show()
    const window = made[0] as FakeWindow
    window.minimized = true
    window.focused = false
    expect(app.state()).toEqual({ visible: false, focused: false })
  })
})
