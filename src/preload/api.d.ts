import type { ParleyApi } from '../shared/api'

declare global {
  interface Window {
    /**
     * The ParleyApi the preload exposes inside the desktop app; undefined in browser mode, which talks to main over
     * a WebSocket instead. Renderer code goes through src/renderer/src/bridge rather than reading this.
     */
    readonly parley?: ParleyApi | undefined
  }
}
