import { decideWindowClose } from './window-close-policy'

/** The members of a BrowserWindow that AppWindow uses; a real one has them, and a test's fake does too. */
export interface WindowLike {
  isDestroyed(): boolean
  isVisible(): boolean
  isFocused(): boolean
  isMinimized(): boolean
  show(): void
  hide(): void
  focus(): void
  restore(): void
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown
  once(event: 'closed', listener: () => void): unknown
}

export interface AppWindowOptions {
  /** Makes the window, which shows itself once its page is ready. */
  create(): WindowLike
  /** Read at each close, so a change in the settings panel applies at once. */
  closeToTray(): boolean
  hasTray(): boolean
}

/** What the notifications need to know about the window. */
export interface WindowState {
  /** On screen: shown and not minimized. */
  visible: boolean
  focused: boolean
}

/**
 * Parley's one window, made on demand: at start, and again after it was really closed (macOS keeps the app in the
 * dock without a window). Closing it hides it to the tray unless close-to-tray is off or the app is quitting
 * (window-close-policy.ts).
 */
export class AppWindow {
  private window: WindowLike | undefined
  private quitting = false

  constructor(private readonly options: AppWindowOptions) {}

  /**
   * Brings the window to the user: made if there is none, otherwise restored, shown and focused. The launch, a
   * second launch, the tray, the dock and a notification's click all come here. Says whether a new window (with a
   * page that is not listening yet) had to be made.
   */
  show(): 'made' | 'shown' {
    const window = this.current()
    if (!window) {
      this.window = this.make()
      return 'made'
    }
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
    return 'shown'
  }

  state(): WindowState {
    const window = this.current()
    if (!window) return { visible: false, focused: false }
    return { visible: window.isVisible() && !window.isMinimized(), focused: window.isFocused() }
  }

  /** The app is quitting (its before-quit): from now on a close really closes. */
  quit(): void {
    this.quitting = true
  }

  current(): WindowLike | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined
  }

  private make(): WindowLike {
    const window = this.options.create()
    window.on('close', (event) => {
      const decision = decideWindowClose({
        closeToTray: this.options.closeToTray(),
        quitting: this.quitting,
        hasTray: this.options.hasTray()
      })
      if (decision === 'hide') {
        event.preventDefault()
        window.hide()
      }
    })
    window.once('closed', () => {
      if (this.window === window) this.window = undefined
    })
    return window
  }
}
