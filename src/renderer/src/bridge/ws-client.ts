import {
  answerCall,
  bridgeProtocols,
  createRemoteApi,
  ParleyError,
  reportToConsole,
  cancelRunThroughDrops,
  enqueueThroughDrops,
  runThroughDrops,
  serverFrameSchema,
  type ApiMethod,
  type ParleyApi,
  type ReportProblem,
  type ServerFrame,
  type Unsubscribe
} from '../../../shared'
import type { BridgeConnection, ConnectionState } from './connection'
import type { KeptRemovals } from './kept-removals'

/** Handlers compared bivariantly (method syntax), so both the DOM's WebSocket and the `ws` package's fit. */
type Handler<E> = { handle(event: E): void }['handle']

/** The part of a WebSocket the client uses. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: Handler<unknown> | null
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null
  onmessage: Handler<{ readonly data: unknown }> | null
  onerror: Handler<unknown> | null
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike

export interface WsClientOptions {
  /** ws://127.0.0.1:PORT/parley */
  url: string
  token: string
  /** The browser's WebSocket by default; tests in Node pass the `ws` package's. */
  WebSocketImpl?: WebSocketConstructor
  /** The first reconnect waits about this long, and each next one twice as long… */
  minDelayMs?: number
  /** …up to this. */
  maxDelayMs?: number
  reportProblem?: ReportProblem
  /**
   * D2: where removals and stops (`cancelRun`) are kept until main answers them, so they outlive the page; the ones a
   * previous page left are sent again at once. The window passes localStorage's; other clients (the attach worker)
   * keep none.
   *
   * A client with kept removals is a window: on every (re)connect, once the calls waiting for the socket are sent (the
   * kept removals among them), it says `windowReady`, so a main that has just started lets the queued prompts it
   * brought back run (rule A8). A main that was not held ignores it.
   */
  keptRemovals?: KeptRemovals
}

const OPEN = 1
/** The longest wait between reconnects while the window holds a removal main has not answered (rule A8). */
export const keptRemovalRetryMs = 1_000

interface PendingCall {
  readonly frame: string
  /**
   * Its place among the calls waiting for the socket: the order calls were made in, or, for a prompt sent again after a
   * drop, the place of the call it is sent again for.
   */
  readonly place: number
  /** An `enqueue`'s runId: the prompt is sent again by it when a drop fails the call (`enqueueThroughDrops`). */
  readonly runId: string | undefined
  sent: boolean
  resolve(result: unknown): void
  reject(error: ParleyError): void
}

/**
 * ParleyApi over the bridge's WebSocket (browser mode). The token is offered as the subprotocol
 * `parley.token.<token>` next to `parley.v1` (see src/main/host/admission.ts).
 *
 * It reconnects by itself, waiting minDelayMs, then twice as long each time, up to maxDelayMs. After a reconnect it
 * subscribes again from the last seq each listener was given, so no event is lost or repeated. Calls:
 * - a call made while the socket is not open waits, and is sent once it opens;
 * - a call already sent when the socket drops fails with ParleyError `Disconnected`: it may or may not have run on
 *   main, so it is never re-sent behind the caller's back;
 * - except `run` and `enqueue`, which name their run: sent again by that name, main refuses a second run of it, so
 *   they outlive a drop (`runThroughDrops`, `enqueueThroughDrops`); and `cancelRun`, which names its run too: sent
 *   again, it cancels a run the first call never reached, and nothing else (`cancelRunThroughDrops`). With
 *   `keptRemovals`, a `cancelRun` also outlives the page: kept until answered, sent again by the next page.
 */
/**
 * Where the bridge's socket is, for a worker that opens a socket of its own: the attach worker sends a file's bytes
 * to main itself, so a 50 MB upload is never serialized on the window's main thread.
 */
export interface SocketRoute {
  url: string
  token: string
}

export function createWsClient(options: WsClientOptions): ParleyApi & BridgeConnection & { readonly socketRoute: SocketRoute } {
  const available = options.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (!available) throw new Error('There is no WebSocket here to reach Parley with.')
  const WebSocketImpl: WebSocketConstructor = available
  const minDelayMs = options.minDelayMs ?? 250
  const maxDelayMs = options.maxDelayMs ?? 5_000
  const report = options.reportProblem ?? reportToConsole
  const protocols = bridgeProtocols(options.token)

  let state: ConnectionState = 'connecting'
  const stateListeners = new Set<(state: ConnectionState) => void>()
  let socket: WebSocketLike | null = null
  let failures = 0
  let retry: ReturnType<typeof setTimeout> | undefined
  const pending = new Map<number, PendingCall>()
  let nextCallId = 1
  let nextPlace = 1
  /**
   * C1: the places of prompts whose call a drop failed, by runId. Sent again by that runId, a prompt goes out ahead of
   * any call made after it and still waiting for the socket, as it was sent the first time: one made while the socket
   * was closing (before its close event) went first, and main ran the prompts out of order.
   */
  const droppedPlaces = new Map<string, number>()

  const remote = createRemoteApi(
    {
      call(method: ApiMethod, args: unknown[]): Promise<unknown> {
        if (state === 'closed') return Promise.reject(disconnected('the bridge was closed'))
        return new Promise((resolve, reject) => {
          const id = nextCallId++
          const frame = JSON.stringify({ kind: 'call', id, method, args })
          const runId = method === 'enqueue' ? runIdOf(args[0]) : undefined
          const place = (runId === undefined ? undefined : droppedPlaces.get(runId)) ?? nextPlace++
          if (runId !== undefined) droppedPlaces.delete(runId)
          const call: PendingCall = { frame, place, runId, sent: false, resolve, reject }
          pending.set(id, call)
          if (socket?.readyState === OPEN) {
            socket.send(call.frame)
            call.sent = true
          }
        })
      },
      send(frame) {
        if (socket?.readyState === OPEN) socket.send(JSON.stringify(frame))
      }
    },
    { reportProblem: report }
  )

  function setState(next: ConnectionState): void {
    if (state === next) return
    state = next
    for (const listener of [...stateListeners]) {
      try {
        listener(next)
      } catch (error) {
        report('a connection listener failed', error)
      }
    }
  }

  const kept = options.keptRemovals

  function connect(): void {
    let current: WebSocketLike
    try {
      current = new WebSocketImpl(options.url, protocols)
    } catch (error) {
      report(`could not open ${options.url}`, error)
      setState('reconnecting')
      scheduleReconnect()
      return
    }
    socket = current
    current.onopen = () => {
      if (socket !== current) return
      failures = 0
      setState('open')
      remote.resume()
      const waiting = [...pending.values()].filter((call) => !call.sent).sort((a, b) => a.place - b.place)
      for (const call of waiting) {
        current.send(call.frame)
        call.sent = true
      }
      // A8: after the removals this window kept (sent just above, or already gone), never before them.
      if (kept) sayWindowReady()
    }
    current.onmessage = (message) => {
      if (socket === current) receive(message.data)
    }
    current.onerror = () => {
      // A close event always follows; that is where the reconnect is decided.
    }
    current.onclose = () => {
      if (socket !== current) return
      socket = null
      for (const [id, call] of pending) {
        if (!call.sent) continue
        pending.delete(id)
        if (call.runId !== undefined) droppedPlaces.set(call.runId, call.place)
        call.reject(disconnected('the connection to Parley dropped while this call was in flight'))
      }
      if (state === 'closed') return
      setState('reconnecting')
      scheduleReconnect()
    }
  }

  function scheduleReconnect(): void {
    // A8: a window holding a removal main has not answered tries at least once a second, so that a main just started
    // again hears it within its recovery hold (2 s), however long main was down.
    const longest = kept !== undefined && kept.list().length > 0 ? Math.min(maxDelayMs, keptRemovalRetryMs) : maxDelayMs
    const delay = Math.min(longest, minDelayMs * 2 ** failures) * (0.8 + Math.random() * 0.2)
    failures += 1
    retry = setTimeout(() => {
      retry = undefined
      if (state !== 'closed') connect()
    }, delay)
  }

  function receive(data: unknown): void {
    let frame: ServerFrame
    try {
      if (typeof data !== 'string') throw new Error('main sent a binary frame')
      const parsed = serverFrameSchema.safeParse(JSON.parse(data))
      if (!parsed.success) throw parsed.error
      frame = parsed.data
    } catch (error) {
      report('main sent a frame the bridge cannot read', error)
      return
    }
    if (!answerCall(pending, frame)) remote.receive(frame)
  }

  connect()

  const closed = (): boolean => state === 'closed'
  /** A drop cuts it off harmlessly: the next open says it again. */
  function sayWindowReady(): void {
    remote.api.windowReady().catch((error: unknown) => {
      if (!(error instanceof ParleyError) || error.code !== 'Disconnected') report('could not tell Parley this window is ready', error)
    })
  }
  /** A removal is let go once main answered or refused it; one a drop or the page's end cut off stays kept. */
  async function cancelRun(runId: string): Promise<boolean> {
    kept?.keep(runId)
    try {
      const answered = await cancelRunThroughDrops(remote.api, runId, { closed })
      kept?.forget(runId)
      return answered
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'Disconnected') kept?.forget(runId)
      throw error
    }
  }
  for (const runId of kept?.list() ?? []) {
    cancelRun(runId).catch((error: unknown) => report(`could not send again the removal of run ${runId}`, error))
  }

  return {
    ...remote.api,
    run: (call) => runThroughDrops(remote.api, call, { closed }),
    enqueue: (call) => enqueueThroughDrops(remote.api, call, { closed }),
    cancelRun,
    socketRoute: { url: options.url, token: options.token },
    get connectionState() {
      return state
    },
    onConnectionChange(listener): Unsubscribe {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    close() {
      if (state === 'closed') return
      setState('closed')
      clearTimeout(retry)
      const last = socket
      socket = null
      last?.close(1000, 'closed by the app')
      for (const call of pending.values()) call.reject(disconnected('the bridge was closed'))
      pending.clear()
      droppedPlaces.clear()
    }
  }
}

/** The runId an `enqueue` call names (`enqueueThroughDrops` names every prompt before sending it). */
function runIdOf(call: unknown): string | undefined {
  if (typeof call !== 'object' || call === null || !('runId' in call)) return undefined
  return typeof call.runId === 'string' ? call.runId : undefined
}

function disconnected(why: string): ParleyError {
  return new ParleyError('Disconnected', `Parley is not connected: ${why}. Try again once it reconnects.`)
}
