export interface CloseFacts {
  /** settings.desktop.closeToTray */
  closeToTray: boolean
  /** The app is quitting (tray Quit, the app menu, Cmd+Q): every window really closes. */
  quitting: boolean
  /** Without a tray icon a hidden window could only come back by launching Parley again. */
  hasTray: boolean
}

/**
 * What closing the window does: hide it to the tray, so runs go on and notifications still come, or really close
 * it (which on Windows and Linux quits the app, and on macOS leaves it in the dock).
 */
export function decideWindowClose(facts: CloseFacts): 'hide' | 'close' {
  return facts.closeToTray && facts.hasTray && !facts.quitting ? 'hide' : 'close'
}
