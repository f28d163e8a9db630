import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import {
  bridgeProtocol,
  readClientFrameText,
  wireLimits,
  type FrameProblem,
  type FrameRead,
  type ServerFrame
} from '../../shared'
import { BridgeSession } from '../core/service/bridge-session'
import type { ParleyService } from '../core/service/parley-service'
import { admitUpgrade, type Refusal } from './admission'

export interface WsHostOptions {
  /** The node:http server to share: the host answers its upgrades to /parley. */
  server: Server
  service: ParleyService
  token: string
  /**
   * Above this many bytes waiting to go out, a socket counts as slow: its event stream waits until the frame is
   * written, and the broker merges that renderer's deltas meanwhile.
   */
  highWaterBytes?: number
}

export interface WsHost {
  /** Closes every connection and stops answering upgrades. */
  close(): Promise<void>
}

const defaultHighWaterBytes = 1024 * 1024
/** PARLEY_TRACE_BRIDGE=1 prints abnormal connection closes on stderr. */
const traceBridge = process.env['PARLEY_TRACE_BRIDGE'] === '1'

/** Serves ParleyService over WebSocket at /parley, one BridgeSession per connection. */
export function attachWsHost(options: WsHostOptions): WsHost {
  const { server, service, token } = options
  const highWaterBytes = options.highWaterBytes ?? defaultHighWaterBytes
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: wireLimits.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(bridgeProtocol) ? bridgeProtocol : false)
  })

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    const refusal = admitUpgrade(
      { url: request.url, headers: request.headers, localPort: request.socket.localPort },
      token
    )
    if (refusal) {
      refuse(socket, refusal)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws))
  }

  function serve(ws: WebSocket): void {
    const session = new BridgeSession(service, (frame) => sendFrame(ws, frame, highWaterBytes))
    ws.on('message', (data, isBinary) => {
      const read = isBinary ? refused('Parley reads JSON text frames only, not binary ones.') : readTextFrame(data)
      if (read.ok) session.receive(read.frame)
      else session.refuse(read)
    })
    // An oversized or malformed frame makes ws close the socket; 'close' follows, and that is all there is to do.
    ws.on('error', () => {})
    ws.on('close', (code, reason) => {
      session.close()
      // 1000 and 1001: the page closed or went away. Anything else is worth a line when tracing the bridge.
      if (traceBridge && code !== 1000 && code !== 1001) {
        process.stderr.write(`[bridge] a connection closed with code ${code} ${reason.toString('utf8')}\n`)
      }
    })
  }

  server.on('upgrade', onUpgrade)

  return {
    close() {
      server.off('upgrade', onUpgrade)
      for (const client of wss.clients) client.terminate()
      return new Promise((resolve) => wss.close(() => resolve()))
    }
  }
}

function refused(message: string): FrameProblem & { ok: false } {
  return { ok: false, callId: null, error: { code: 'BadRequest', message } }
}

/** ws has already checked that a text frame is valid UTF-8. */
function readTextFrame(data: RawData): FrameRead {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
  return readClientFrameText(bytes.toString('utf8'), bytes.length)
}

function sendFrame(ws: WebSocket, frame: ServerFrame, highWaterBytes: number): Promise<void> | undefined {
  if (ws.readyState !== WebSocket.OPEN) return undefined
  let written: () => void = () => {}
  const flushed = new Promise<void>((resolve) => (written = resolve))
  // The callback runs once the frame is handed to the OS, or with an error if the socket closed first.
  ws.send(JSON.stringify(frame), () => written())
  return ws.bufferedAmount > highWaterBytes ? flushed : undefined
}

function refuse(socket: Duplex, refusal: Refusal): void {
  const titles = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const
  const body = `${refusal.reason}\n`
  socket.end(
    `HTTP/1.1 ${refusal.status} ${titles[refusal.status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body
  )
}
