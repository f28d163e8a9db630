import { z } from 'zod'
import { apiMethods, type ApiMethod, type ParleyApi, type Unsubscribe } from './api'
import { issuesText, ParleyError } from './errors'
import { sinceRefusal, sinceSchema, type ParleyEvent } from './events'
import { namedCall } from './lasting-run'
import type { ServerFrame, StreamFrame } from './wire'

/**
 * The renderer's side of a bridge, whatever carries it: the preload (Electron IPC) and the WebSocket client both
 * build their ParleyApi here, so both validate the same way and keep subscriptions the same way.
 */
export interface RemoteLink {
  /** Runs a request/response method on main. Resolves with the raw result; rejects with a ParleyError. */
  call(method: ApiMethod, args: unknown[]): Promise<unknown>
  /** Sends a stream frame now, or drops it when the link is down: `resume()` restates everything on reconnect. */
  send(frame: StreamFrame): void
}

export interface RemoteApi {
  /** A plain object of functions, so it can cross Electron's contextBridge as it is. */
  readonly api: ParleyApi
  /**
   * The link is (re)connected: subscribe again from the last seq every listener has seen, so no event is lost or
   * delivered twice across the gap.
   */
  resume(): void
  /** A frame from main, already validated (`serverFrameSchema`): events and refusals. */
  receive(frame: ServerFrame): void
}

export type ReportProblem = (message: string, cause?: unknown) => void

export interface RemoteApiOptions {
  /** Where problems no caller can be told about go (a listener that threw, a frame main refused). */
  reportProblem?: ReportProblem
}

/** The default ReportProblem: the console, where a developer looks. */
export const reportToConsole: ReportProblem = (message, cause) => console.error(`[parley] ${message}`, cause ?? '')

type ResultOf<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['result']>

interface Listener {
  readonly deliver: (event: ParleyEvent) => void
  /** The last seq this listener was given (or its `since`): it never gets that seq or an older one again. */
  lastSeq: number
}

export function createRemoteApi(link: RemoteLink, options: RemoteApiOptions = {}): RemoteApi {
  const report = options.reportProblem ?? reportToConsole

  // Every listener shares one event stream from main. `wireSeq` is how far that stream has got: the `since` of the
  // last subscribe we sent, raised by every event since.
  const listeners = new Set<Listener>()
  let wireSeq = 0
  /** The number of the last subscribe sent: events of an earlier stream still arriving are dropped. */
  let stream = 0

  async function request<M extends ApiMethod>(method: M, args: unknown[]): Promise<ResultOf<M>> {
    const raw = await link.call(method, args)
    const schema: z.ZodType = apiMethods[method].result
    const parsed = schema.safeParse(raw)
    // The schema is this method's own result schema, so what it accepts is this method's result.
    if (parsed.success) return parsed.data as ResultOf<M>
    throw new ParleyError('Internal', `Main's answer to ${method} is not valid: ${issuesText(parsed.error)}`)
  }

  function subscribeFrom(since: number): void {
    wireSeq = since
    stream += 1
    link.send({ kind: 'subscribe', since, stream })
  }

  function lowestSeq(): number {
    let lowest = Number.MAX_SAFE_INTEGER
    for (const listener of listeners) lowest = Math.min(lowest, listener.lastSeq)
    return lowest
  }

  function deliver(event: ParleyEvent): void {
    if (event.seq > wireSeq) wireSeq = event.seq
    for (const listener of [...listeners]) {
      if (event.seq <= listener.lastSeq) continue
      listener.lastSeq = event.seq
      try {
        listener.deliver(event)
      } catch (error) {
        report(`an event listener failed on ${event.type} #${event.seq}`, error)
      }
    }
  }

  const api: ParleyApi = {
    ...eachMethod((method, args) => request(method, args)),
    // The run is named before it is sent, so a caller that loses its answer can ask for it by name (G4).
    run: (call) => request('run', [namedCall(call)]),

    subscribe(options, listener): Unsubscribe {
      const since = sinceSchema.safeParse(options.since)
      if (!since.success) throw new ParleyError('BadRequest', sinceRefusal)
      const first = listeners.size === 0
      const entry: Listener = { deliver: listener, lastSeq: since.data }
      listeners.add(entry)
      // The stream already went past `since`: ask main to replay from the lowest seq anyone still needs. The
      // listeners that are further along skip what they have seen.
      if (first || since.data < wireSeq) subscribeFrom(lowestSeq())
      let subscribed = true
      return () => {
        if (!subscribed) return
        subscribed = false
        listeners.delete(entry)
        if (listeners.size === 0) link.send({ kind: 'unsubscribe' })
      }
    }
  }

  return {
    api,
    resume() {
      if (listeners.size > 0) subscribeFrom(lowestSeq())
    },
    receive(frame) {
      switch (frame.kind) {
        case 'event':
          // Sent for a stream since replaced (it was on its way when we asked again): its seqs would hide the replay.
          if (frame.stream !== undefined && frame.stream !== stream) return
          deliver(frame.event)
          return
        case 'error':
          // A call's error goes to its caller (the link's business); this is a stream frame main refused.
          report(`main refused a message: ${frame.error.code}: ${frame.error.message}`)
          return
        case 'result':
          return
      }
    }
  }
}

/** A call sent over a link and not answered yet. */
export interface AnswerableCall {
  resolve(result: unknown): void
  reject(error: ParleyError): void
}

/**
 * Settles the call a `result` or `error` frame answers, and forgets it; answers false for any other frame (events,
 * refusals of stream frames), which go to `RemoteApi.receive`. A link that keeps its calls by id (the WebSocket
 * client, the command line's socket client) reads its frames through this.
 */
export function answerCall(pending: Map<number, AnswerableCall>, frame: ServerFrame): boolean {
  if ((frame.kind !== 'result' && frame.kind !== 'error') || frame.id === null) return false
  const call = pending.get(frame.id)
  if (!call) return true
  pending.delete(frame.id)
  if (frame.kind === 'result') call.resolve(frame.result)
  else call.reject(new ParleyError(frame.error.code, frame.error.message))
  return true
}

/**
 * The same API with every request/response call's rejection passed through `convert`: how the preload makes errors
 * survive contextBridge (which copies only an Error's message), and how the page turns them back into ParleyErrors.
 */
export function withCallErrors(api: ParleyApi, convert: (error: unknown) => unknown): ParleyApi {
  const converted = <T>(result: Promise<T>): Promise<T> =>
    result.catch((error: unknown) => {
      throw convert(error)
    })
  return {
    ...eachMethod((method, args) => converted(requestMethod(api, method)(...args))),
    subscribe: (options, listener) => api.subscribe(options, listener)
  }
}

/** The request/response half of ParleyApi: every method of the one table, `apiMethods`. */
type RequestMethods = Pick<ParleyApi, ApiMethod>
type AnyRequest = (...args: unknown[]) => Promise<unknown>

/**
 * Builds the request/response half of ParleyApi from the method table, so a new method in `apiMethods` needs no
 * line here: `handle` gets the method's name and its arguments as they were passed.
 */
function eachMethod(handle: (method: ApiMethod, args: unknown[]) => Promise<unknown>): RequestMethods {
  const table: Partial<Record<ApiMethod, AnyRequest>> = {}
  for (const method of Object.keys(apiMethods) as ApiMethod[]) table[method] = (...args) => handle(method, args)
  // Each entry takes the arguments its method takes and resolves with what `handle` does for it: the table's types.
  return table as unknown as RequestMethods
}

/** One method of an API, as a function of unknown arguments (the caller already holds the right ones). */
function requestMethod(api: RequestMethods, method: ApiMethod): AnyRequest {
  return (api[method] as AnyRequest).bind(api)
}
