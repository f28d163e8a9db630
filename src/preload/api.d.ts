/** What the preload exposes as `window.parley`. It grows into the full ParleyApi from src/shared. */
export interface ParleyBridgeInfo {
  readonly version: 1
}

declare global {
  interface Window {
    /** Present only inside the desktop app; browser mode talks to main over a WebSocket instead. */
    readonly parley?: ParleyBridgeInfo
  }
}
