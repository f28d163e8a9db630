import { ExternalStore } from '../external-store'

export interface AttentionState {
  /** The chat the window shows. */
  openSessionId: string | undefined
  /** The window is shown and has the focus: what it shows is being looked at. */
  windowActive: boolean
}

/** Which chat the person is looking at: the open one, while the window is shown and focused. */
export class Attention extends ExternalStore<AttentionState> {
  constructor(windowActive = true) {
    super({ openSessionId: undefined, windowActive })
  }

  show(sessionId: string | undefined): void {
    if (sessionId !== this.getSnapshot().openSessionId) this.replace({ ...this.getSnapshot(), openSessionId: sessionId })
  }

  setWindowActive(active: boolean): void {
    if (active !== this.getSnapshot().windowActive) this.replace({ ...this.getSnapshot(), windowActive: active })
  }

  watching = (sessionId: string): boolean => {
    const { openSessionId, windowActive } = this.getSnapshot()
    return windowActive && openSessionId === sessionId
  }
}

/** The little of the DOM that says whether the window is shown and focused. */
export interface WindowSignals {
  document: Pick<Document, 'visibilityState' | 'hasFocus'> & EventTarget
  window: EventTarget
}

export function windowIsActive(signals: WindowSignals): boolean {
  return signals.document.visibilityState === 'visible' && signals.document.hasFocus()
}

/** Keeps `attention.windowActive` in step with the window: shown or hidden (the tray, a minimise), focused or not. */
export function followWindow(attention: Attention, signals: WindowSignals): () => void {
  const update = (): void => attention.setWindowActive(windowIsActive(signals))
  update()
  signals.document.addEventListener('visibilitychange', update)
  signals.window.addEventListener('focus', update)
  signals.window.addEventListener('blur', update)
  return () => {
    signals.document.removeEventListener('visibilitychange', update)
    signals.window.removeEventListener('focus', update)
    signals.window.removeEventListener('blur', update)
  }
}
