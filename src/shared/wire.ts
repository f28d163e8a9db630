import { z } from 'zod'
import { historyAnswerSchema, historyRequestSchema } from './api'
import { errorPayloadSchema, issuesText, type ErrorPayload } from './errors'
import { messageSchema, type Message } from './message'
import { eventSchema } from './events'

/**
 * The bridge's messages, both directions. The WebSocket carries them as JSON text frames; Electron IPC carries the
 * stream frames on one channel per kind (see `ipcChannelFor`) and the calls through `ipcRenderer.invoke`.
 *
 * Renderer → main: `call`, `subscribe`, `unsubscribe`, `history.attach`, `history.detach`, `history.answer`,
 * `history.failed`. Main → renderer: `result`, `error`, `event`, `history.request`.
 */

export const wireLimits = {
  /** The largest frame the WebSocket host reads: far above any valid call, so an oversized payload gets a typed
   * BadRequest from the schemas instead of a disconnect. */
  maxFrameBytes: 32 * 1024 * 1024,
  /** No valid frame nests this deep; a deeper one is refused before any schema walks it. */
  maxDepth: 64,
  maxMethodChars: 100
} as const

/** Where browser mode's WebSocket listens, on the same port as the page. */
export const bridgePath = '/parley'
/** The subprotocol a client offers, and the only one the host answers with. */
export const bridgeProtocol = 'parley.v1'
/** The token rides as a second offered subprotocol, `parley.token.<token>`, never in a URL. */
export const tokenProtocolPrefix = 'parley.token.'
/** A token that fits a subprotocol and a URL fragment, and is long enough not to be guessed. */
export const tokenPattern = /^[A-Za-z0-9_-]{16,256}$/

/** The subprotocols a client offers to connect with `token`. */
export function bridgeProtocols(token: string): string[] {
  return [bridgeProtocol, `${tokenProtocolPrefix}${token}`]
}

/** Call ids are minted by the renderer, history request ids by main: two separate counters. */
const wireIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const callFrameSchema = z
  .object({
    kind: z.literal('call'),
    id: wireIdSchema,
    method: z.string().max(wireLimits.maxMethodChars),
    /** Checked against the method's own tuple by `dispatch`. */
    args: z.array(z.unknown())
  })
  .strict()

/** One event stream per connection: a second `subscribe` replaces the first, replaying from its `since`. */
export const subscribeFrameSchema = z
  .object({ kind: z.literal('subscribe'), since: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) })
  .strict()
export const unsubscribeFrameSchema = z.object({ kind: z.literal('unsubscribe') }).strict()
/** The renderer answers main's history requests from now on (architecture, "A prompt's path", step 3). */
export const historyAttachFrameSchema = z.object({ kind: z.literal('history.attach') }).strict()
export const historyDetachFrameSchema = z.object({ kind: z.literal('history.detach') }).strict()
export const historyAnswerFrameSchema = z
  .object({ kind: z.literal('history.answer'), id: wireIdSchema, messages: historyAnswerSchema })
  .strict()
export const historyFailedFrameSchema = z
  .object({ kind: z.literal('history.failed'), id: wireIdSchema, error: errorPayloadSchema })
  .strict()

export const clientFrameSchema = z.discriminatedUnion('kind', [
  callFrameSchema,
  subscribeFrameSchema,
  unsubscribeFrameSchema,
  historyAttachFrameSchema,
  historyDetachFrameSchema,
  historyAnswerFrameSchema,
  historyFailedFrameSchema
])
export type ClientFrame = z.infer<typeof clientFrameSchema>
/** Everything the renderer sends except calls: what rides on IPC's one-way channels. */
export type StreamFrame = Exclude<ClientFrame, { kind: 'call' }>

export const resultFrameSchema = z.object({
  kind: z.literal('result'),
  id: wireIdSchema,
  /** Absent for the methods that answer nothing (`ack`, `cancel`, …): JSON drops an undefined field. */
  result: z.unknown().optional()
})
/** `id` names the call that failed; null when the refused frame was not a call (or its id was unreadable). */
export const errorFrameSchema = z.object({
  kind: z.literal('error'),
  id: wireIdSchema.nullable(),
  error: errorPayloadSchema
})
export const eventFrameSchema = z.object({ kind: z.literal('event'), event: eventSchema })
export const historyRequestFrameSchema = z.object({
  kind: z.literal('history.request'),
  id: wireIdSchema,
  request: historyRequestSchema
})

export const serverFrameSchema = z.discriminatedUnion('kind', [
  resultFrameSchema,
  errorFrameSchema,
  eventFrameSchema,
  historyRequestFrameSchema
])
export type ServerFrame = z.infer<typeof serverFrameSchema>

/** What `ipcRenderer.invoke('parley:call', method, args)` resolves with: dispatch's answer, never a thrown error. */
export const callOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: errorPayloadSchema })
])
export type CallOutcome = z.infer<typeof callOutcomeSchema>

export const ipcCallChannel = 'parley:call'

/** The IPC channel of a stream frame: `parley:` and the kind with its dot made a dash (`parley:history-request`). */
export function ipcChannelFor(kind: StreamFrame['kind'] | ServerFrame['kind']): string {
  return `parley:${kind.replace('.', '-')}`
}

/** Why a frame could not be read, and which of our counters it named, so the reply and the cleanup can say. */
export interface FrameProblem {
  error: ErrorPayload
  /** The id of a `call` frame, so its caller gets the error. */
  callId: number | null
  /** The id of a `history.answer` or `history.failed` frame, so main can stop waiting for that answer. */
  historyId: number | null
}

export type FrameRead = { ok: true; frame: ClientFrame } | ({ ok: false } & FrameProblem)

const knownClientKinds = new Set<string>(clientFrameSchema.options.map((option) => option.shape.kind.value))
const maxDetailChars = 300

/**
 * Reads one untrusted frame from the renderer (already parsed from JSON, or structured-cloned by IPC). Anything
 * wrong — the wrong shape, an unknown kind, a missing field, a `__proto__` key, nesting past `maxDepth` — becomes a
 * typed BadRequest, never an exception.
 */
export function readClientFrame(value: unknown): FrameRead {
  const ids = idsOf(value)
  const unsafe = findUnsafeShape(value, wireLimits.maxDepth)
  if (unsafe) return { ok: false, ...ids, error: { code: 'BadRequest', message: `The frame was refused: ${unsafe}.` } }
  const kind = isRecord(value) ? value['kind'] : undefined
  if (typeof kind !== 'string' || !knownClientKinds.has(kind)) {
    const shown = typeof kind === 'string' ? JSON.stringify(kind.slice(0, 50)) : 'missing'
    const message = `The frame's kind is ${shown}: Parley does not know it.`
    return { ok: false, ...ids, error: { code: 'BadRequest', message } }
  }
  if (kind === 'history.answer') return readHistoryAnswer(value as Record<string, unknown>, ids)
  const parsed = clientFrameSchema.safeParse(value)
  if (parsed.success) return { ok: true, frame: parsed.data }
  const detail = issuesText(parsed.error)
  const shortened = detail.length > maxDetailChars ? `${detail.slice(0, maxDetailChars)}…` : detail
  return { ok: false, ...ids, error: { code: 'BadRequest', message: `The ${kind} frame is not valid: ${shortened}` } }
}

/**
 * A history answer can be long: its messages are checked one by one, stopping at the first bad one, so a huge bad
 * answer costs one message's check rather than a problem list the size of the answer. Each message is parsed once.
 */
function readHistoryAnswer(value: Record<string, unknown>, ids: Pick<FrameProblem, 'callId' | 'historyId'>): FrameRead {
  const refuse = (detail: string): FrameRead => ({
    ok: false,
    ...ids,
    error: { code: 'BadRequest', message: `The history.answer frame is not valid: ${detail}` }
  })
  const raw = value['messages']
  const messages: Message[] = []
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const parsed = messageSchema.safeParse(raw[i])
      if (!parsed.success) return refuse(`message ${i}: ${issuesText(parsed.error, 3).slice(0, maxDetailChars)}`)
      messages.push(parsed.data)
    }
  }
  // The rest of the frame, with the messages already read (an answer that isn't a list is refused here).
  const parsed = clientFrameSchema.safeParse({ ...value, messages: Array.isArray(raw) ? [] : raw })
  if (!parsed.success) return refuse(issuesText(parsed.error).slice(0, maxDetailChars))
  if (parsed.data.kind !== 'history.answer') return refuse('it is not a history answer')
  return { ok: true, frame: { ...parsed.data, messages } }
}

function idsOf(value: unknown): Pick<FrameProblem, 'callId' | 'historyId'> {
  if (!isRecord(value)) return { callId: null, historyId: null }
  const id = wireIdSchema.safeParse(value['id'])
  if (!id.success) return { callId: null, historyId: null }
  const kind = value['kind']
  return {
    callId: kind === 'call' ? id.data : null,
    historyId: kind === 'history.answer' || kind === 'history.failed' ? id.data : null
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Walks a value without recursion (so no depth can overflow the stack) and names the first thing no valid frame
 * has: nesting deeper than `maxDepth`, or a `__proto__` key (JSON.parse makes it an own property, and a careless
 * merge further on would turn it into a prototype).
 */
export function findUnsafeShape(value: unknown, maxDepth: number): string | null {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (typeof item !== 'object' || item === null) continue
    if (depth >= maxDepth) return `it nests deeper than ${maxDepth} levels`
    if (Array.isArray(item)) {
      for (const element of item) stack.push([element, depth + 1])
      continue
    }
    for (const key of Object.keys(item)) {
      if (key === '__proto__') return 'it has a "__proto__" key'
      stack.push([(item as Record<string, unknown>)[key], depth + 1])
    }
  }
  return null
}
