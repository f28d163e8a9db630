/**
 * The app window's webPreferences, apart from the preload's path. Each line is a line of Electron's security
 * checklist, kept here as plain data so a test holds them: the page runs sandboxed with no Node, its JavaScript is
 * isolated from the preload's, and it can reach main only through window.parley.
 */
export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  // A hidden window (closed to the tray) keeps applying events to Dexie at full speed, so history is current when
  // the window comes back and the history port can answer the agent at once.
  backgroundThrottling: false
} as const
