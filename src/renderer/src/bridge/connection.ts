import type { Unsubscribe } from '../../../shared'

/**
 * How a bridge reaches main. The desktop bridge (IPC) is always `open`; the WebSocket client goes through the rest:
 * `connecting` before the first connection, `reconnecting` after losing one (it retries by itself), and `closed`
 * once `close()` was called.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

/** What a bridge offers beyond ParleyApi, for the UI's connection banner. */
export interface BridgeConnection {
  readonly connectionState: ConnectionState
  /** Called with every change of state (not with the current one). */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe
  /** Stops for good: no more reconnecting, and calls still waiting fail with `Disconnected`. */
  close(): void
}
