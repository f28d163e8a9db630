import { afterEach, describe, expect, it } from 'vitest'
import type { ParleyApi } from '../../../shared'
import type { BridgeConnection } from './connection'
import { createWsClient, type WebSocketLike } from './ws-client'

/** A socket this test opens and closes by hand; what the client sends on it is kept, per socket. */
class HandSocket implements WebSocketLike {
  static made: HandSocket[] = []
  readyState = 0
  readonly frames: string[] = []
  onopen: WebSocketLike['onopen'] = null
  onclose: WebSocketLike['onclose'] = null
  onmessage: WebSocketLike['onmessage'] = null
  onerror: WebSocketLike['onerror'] = null

  constructor() {
    HandSocket.made.push(this)
  }

  send(data: string): void {
    this.frames.push(data)
  }

  close(): void {
    this.readyState = 3
  }

  open(): void {
    this.readyState = 1
    this.onopen?.(undefined)
  }

  /** The prompts of the enqueue calls sent on this socket, in order. */
  prompts(): string[] {
    const frames = this.frames.map((frame) => JSON.parse(frame) as { method?: string; args?: { prompt?: string }[] })
    return frames.filter((frame) => frame.method === 'enqueue').map((frame) => frame.args?.[0]?.prompt ?? '')
  }
}

const clients: (ParleyApi & BridgeConnection)[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
  HandSocket.made = []
})

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('the WebSocket client keeps prompts in the order they were sent across a drop', () => {
  it('C1: a prompt in flight when the socket drops is sent again ahead of one sent while the socket was closing', async () => {
    const api = createWsClient({ url: 'ws://127.0.0.1:1/parley', token: 'test-token-0123456789', WebSocketImpl: HandSocket, minDelayMs: 1, maxDelayMs: 1 })
    clients.push(api)
    HandSocket.made[0]?.open()
    void api.enqueue({ sessionId: 's1', runId: 'run-alpha', prompt: 'alpha' }).catch(() => undefined)
    // Main went away with alpha unread: the socket is closing, and its close event has not come yet (Node's `ws`
    // closes in two steps; a browser's socket is closing once main's close frame has come).
    const first = HandSocket.made[0] as HandSocket
    first.readyState = 2
    void api.enqueue({ sessionId: 's1', runId: 'run-beta', prompt: 'beta' }).catch(() => undefined)
    first.readyState = 3
    first.onclose?.({ code: 1006, reason: '' })
    // The reconnect.
    while (HandSocket.made.length < 2) await tick()
    void api.enqueue({ sessionId: 's1', runId: 'run-gamma', prompt: 'gamma' }).catch(() => undefined)
    HandSocket.made[1]?.open()
    expect(first.prompts()).toEqual(['alpha'])
    expect(HandSocket.made[1]?.prompts()).toEqual(['alpha', 'beta', 'gamma'])
  })
})
