import { connect, type Socket } from 'node:net'
import {
  answerCall,
  createRemoteApi,
  ParleyError,
  serverFrameSchema,
  type AnswerableCall,
  type ApiMethod,
  type ReportProblem,
  type ServerFrame
} from '../../shared'
import { LineReader, localHello, localHelloSchema, maxLineBytes, parseLine } from '../host/local-socket-protocol'
import type { ParleyLink } from './parley-link'

export interface SocketClientOptions {
  /** How long the app has to answer the hello. */
  helloTimeoutMs?: number
  reportProblem?: ReportProblem
  /**
   * Asked once the hello is answered: whether the Parley serving the socket may come back after a drop
   * (ParleyLink.mayComeBack; `folder-holder.ts` tells from the folder's lock). Default: it may, as an app may.
   */
  mayComeBack?: () => boolean
}

/**
 * ParleyApi over the app's local socket (host/local-socket.ts). Resolves with the link once the app has answered the
 * hello, or null when nothing answers there: no socket, a stale one, or a peer that does not speak `parley.v1`.
 * It never reconnects by itself: a call in flight when the connection drops fails with `Disconnected`, and `lost`
 * settles, so the caller decides what comes next (run-command.ts reconnects or takes over).
 */
export async function connectLocalSocket(path: string, options: SocketClientOptions = {}): Promise<ParleyLink | null> {
  const socket = await openSocket(path)
  if (!socket) return null
  const reader = new LineReader(maxLineBytes)
  const report: ReportProblem = options.reportProblem ?? (() => {})
  const pending = new Map<number, AnswerableCall>()
  let nextCallId = 1
  let greeted = false
  let markLost: () => void = () => {}
  const lost = new Promise<void>((resolve) => (markLost = resolve))
  let greet: (ok: boolean) => void = () => {}
  const greeting = new Promise<boolean>((resolve) => (greet = resolve))
  const helloTimer = setTimeout(() => greet(false), options.helloTimeoutMs ?? 2_000)

  const write = (frame: unknown): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`)
  }
  const remote = createRemoteApi(
    {
      call(method: ApiMethod, args: unknown[]) {
        if (socket.destroyed) return Promise.reject(disconnected())
        return new Promise((resolve, reject) => {
          const id = nextCallId++
          pending.set(id, { resolve, reject })
          write({ kind: 'call', id, method, args })
        })
      },
      send: write
    },
    { reportProblem: report }
  )

  const receive = (frame: ServerFrame): void => {
    if (!answerCall(pending, frame)) remote.receive(frame)
  }

  socket.on('data', (chunk: Buffer) => {
    const lines = reader.push(chunk)
    if (lines === 'too-long') {
      report('the app sent a line longer than the limit')
      socket.destroy()
      return
    }
    for (const line of lines) {
      const value = parseLine(line)?.value
      if (!greeted) {
        greeted = localHelloSchema.safeParse(value).success
        greet(greeted)
        if (!greeted) socket.destroy()
        continue
      }
      const frame = serverFrameSchema.safeParse(value)
      if (frame.success) receive(frame.data)
      else report('the app sent a frame the command line cannot read', frame.error)
    }
  })
  socket.on('error', () => {})
  socket.on('close', () => {
    clearTimeout(helloTimer)
    greet(false)
    for (const call of pending.values()) call.reject(disconnected())
    pending.clear()
    markLost()
  })

  write(localHello)
  if (!(await greeting)) {
    socket.destroy()
    return null
  }
  clearTimeout(helloTimer)
  return {
    via: 'app',
    api: remote.api,
    lost,
    mayComeBack: options.mayComeBack?.() ?? true,
    async close() {
      socket.end()
      socket.destroy()
      await lost
    }
  }
}

/** Connects, or answers null when nothing listens there (no file, a dead app's socket, no pipe). */
function openSocket(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path)
    socket.once('connect', () => {
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', () => {
      socket.destroy()
      resolve(null)
    })
  })
}

function disconnected(): ParleyError {
  return new ParleyError('Disconnected', 'The connection to Parley dropped.')
}
