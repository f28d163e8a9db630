import { chmodSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { readClientFrameText, type ErrorPayload, type ServerFrame } from '../../shared'
import { BridgeSession } from '../core/service/bridge-session'
import type { ParleyService } from '../core/service/parley-service'
import { LineReader, localHello, localHelloSchema, localSocketPath, maxLineBytes, parseLine } from './local-socket-protocol'

export interface LocalSocketHostOptions {
  service: ParleyService
  /** The data folder whose lock this process holds: the socket goes in it. */
  dataDir: string
  /** Above this many bytes waiting to go out, a peer counts as slow (as in ws-host.ts). */
  highWaterBytes?: number
}

export interface LocalSocketHost {
  /** The socket's path, or the pipe's name on Windows. */
  readonly path: string
  /**
   * Takes no new peer and removes the socket file; the peers connected are still served. A core leaving the folder
   * does this first, so a command that comes meanwhile waits for the folder instead of queuing behind it.
   */
  stopListening(): void
  /** Stops listening, drops every peer and removes the socket file. */
  close(): Promise<void>
}

const defaultHighWaterBytes = 1024 * 1024
/** A peer that has not said hello by then is let go. */
const helloTimeoutMs = 5_000

/**
 * Serves ParleyService on a local socket in the data folder, for the command line (`parley run`): the WebSocket's
 * method table and events (one BridgeSession per peer), as newline-delimited JSON. Only this user may connect: the
 * socket is made with mode 0600. Call it only while holding the data folder's lock: a socket file already there is
 * then a dead Parley's, and is removed.
 */
export async function startLocalSocketHost(options: LocalSocketHostOptions): Promise<LocalSocketHost> {
  const path = localSocketPath(options.dataDir)
  const highWaterBytes = options.highWaterBytes ?? defaultHighWaterBytes
  const onWindows = process.platform === 'win32'
  if (!onWindows) rmSync(path, { force: true })
  const peers = new Set<Socket>()
  const server = createServer((socket) => {
    peers.add(socket)
    socket.on('close', () => peers.delete(socket))
    serve(socket, options.service, highWaterBytes)
  })
  await listenPrivately(server, path, onWindows)
  // node:net removes a Unix socket's file when its server closes; the callback comes once every peer is gone.
  let closed: Promise<void> | undefined
  const stopListening = (): Promise<void> => (closed ??= new Promise((resolve) => server.close(() => resolve())))
  return {
    path,
    stopListening() {
      void stopListening()
    },
    close() {
      const done = stopListening()
      for (const peer of peers) peer.destroy()
      return done
    }
  }
}

/**
 * Listens with the socket file made 0600 from the start: the umask is narrowed around the bind (listen binds a path
 * synchronously), and the mode is set again once listening in case the platform ignored it.
 */
async function listenPrivately(server: Server, path: string, onWindows: boolean): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const previous = onWindows ? undefined : process.umask(0o177)
    try {
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    } finally {
      if (previous !== undefined) process.umask(previous)
    }
  })
  if (!onWindows) chmodSync(path, 0o600)
}

function serve(socket: Socket, service: ParleyService, highWaterBytes: number): void {
  const reader = new LineReader(maxLineBytes)
  let session: BridgeSession | undefined
  const helloTimer = setTimeout(() => refuse(socket, 'Say hello first: {"kind":"hello","protocol":"parley.v1"}.'), helloTimeoutMs)
  socket.on('error', () => {})
  socket.on('close', () => {
    clearTimeout(helloTimer)
    session?.close()
  })
  socket.on('data', (chunk: Buffer) => {
    const lines = reader.push(chunk)
    if (lines === 'too-long') {
      refuse(socket, `A line is longer than ${maxLineBytes} bytes.`)
      return
    }
    for (const line of lines) {
      if (socket.destroyed) return
      if (session === undefined) {
        const hello = localHelloSchema.safeParse(parseLine(line)?.value)
        if (!hello.success) {
          refuse(socket, 'This is Parley\'s local socket: say hello first: {"kind":"hello","protocol":"parley.v1"}.')
          return
        }
        clearTimeout(helloTimer)
        socket.write(`${JSON.stringify(localHello)}\n`)
        session = new BridgeSession(service, (frame) => sendLine(socket, frame, highWaterBytes))
        continue
      }
      // The same reader as the WebSocket's: size, depth and method are checked before any JSON.parse.
      const read = readClientFrameText(line, Buffer.byteLength(line))
      if (read.ok) session.receive(read.frame)
      else session.refuse(read)
    }
  })
}

function sendLine(socket: Socket, frame: ServerFrame, highWaterBytes: number): Promise<void> | undefined {
  if (socket.destroyed || !socket.writable) return undefined
  let written: () => void = () => {}
  const flushed = new Promise<void>((resolve) => (written = resolve))
  socket.write(`${JSON.stringify(frame)}\n`, () => written())
  return socket.writableLength > highWaterBytes ? flushed : undefined
}

/** Says why in one error line, then hangs up. Nothing the peer sent reached the service. */
function refuse(socket: Socket, message: string): void {
  if (socket.destroyed) return
  const error: ErrorPayload = { code: 'BadRequest', message }
  // The error line goes out, then the connection is closed whatever the peer does next.
  socket.end(`${JSON.stringify({ kind: 'error', id: null, error })}\n`, () => socket.destroy())
}
