import { z } from 'zod'
import { errorPayloadSchema, issuesText, type ErrorPayload } from './errors'
import { eventSchema, sinceSchema } from './events'
import { scanFrameText } from './frame-scan'

/**
 * The bridge's messages, both directions. The WebSocket carries them as JSON text frames; Electron IPC carries the
 * stream frames on one channel per kind (see `ipcChannelFor`) and the calls through `ipcRenderer.invoke`.
 *
 * Renderer → main: `call`, `subscribe`, `unsubscribe`. Main → renderer: `result`, `error`, `event`. (Main once asked
 * the window for history with `history.*` frames; a turn now reads main's session log, rule H1.)
 */

export const wireLimits = {
  /** The largest frame the WebSocket host reads: far above any valid call, so an oversized payload gets a typed
   * BadRequest from the schemas instead of a disconnect. */
  maxFrameBytes: 72 * 1024 * 1024,
  /** No valid frame nests this deep; a deeper one is refused before any schema walks it. */
  maxDepth: 64,
  /**
   * Above this, only the calls that carry big payloads (prompts with attachments, an import) are read: any other frame
   * this big is refused before it is parsed.
   */
  smallFrameBytes: 1024 * 1024,
  largeFrameMethods: ['enqueue', 'run', 'importChats', 'putAttachment'] as readonly string[],
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

/** Call ids are minted by the renderer. */
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

/**
 * One event stream per connection: a second `subscribe` replaces the first, replaying from its `since`. `stream`
 * numbers it, and main sends it back on each of its events: frames of a stream it replaced, still on their way when
 * the new one starts, are told apart and dropped (else a listener that asked for a replay took one of them first and
 * skipped the replay as already seen). Absent: events carry none (an older renderer).
 */
export const subscribeFrameSchema = z
  .object({ kind: z.literal('subscribe'), since: sinceSchema, stream: wireIdSchema.optional() })
  .strict()
export const unsubscribeFrameSchema = z.object({ kind: z.literal('unsubscribe') }).strict()

export const clientFrameSchema = z.discriminatedUnion('kind', [
  callFrameSchema,
  subscribeFrameSchema,
  unsubscribeFrameSchema
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
/** `stream`: the number of the `subscribe` this event answers, when it had one. */
export const eventFrameSchema = z.object({ kind: z.literal('event'), event: eventSchema, stream: wireIdSchema.optional() })
export const serverFrameSchema = z.discriminatedUnion('kind', [
  resultFrameSchema,
  errorFrameSchema,
  eventFrameSchema
])
export type ServerFrame = z.infer<typeof serverFrameSchema>

/** What `ipcRenderer.invoke('parley:call', method, args)` resolves with: dispatch's answer, never a thrown error. */
export const callOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: errorPayloadSchema })
])
export type CallOutcome = z.infer<typeof callOutcomeSchema>

export const ipcCallChannel = 'parley:call'

/** The IPC channel of a stream frame: `parley:` and the kind with its dot made a dash (`parley:event`). */
export function ipcChannelFor(kind: StreamFrame['kind'] | ServerFrame['kind']): string {
  return `parley:${kind.replace('.', '-')}`
}

/** Why a frame could not be read, and which of our counters it named, so the reply and the cleanup can say. */
export interface FrameProblem {
  error: ErrorPayload
  /** The id of a `call` frame, so its caller gets the error. */
  callId: number | null
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
  const parsed = clientFrameSchema.safeParse(value)
  if (parsed.success) return { ok: true, frame: parsed.data }
  const detail = issuesText(parsed.error)
  const shortened = detail.length > maxDetailChars ? `${detail.slice(0, maxDetailChars)}…` : detail
  return { ok: false, ...ids, error: { code: 'BadRequest', message: `The ${kind} frame is not valid: ${shortened}` } }
}

/**
 * Reads one frame's text from an untrusted client (the WebSocket, the local socket): first its size and a byte-level
 * look at its depth and method (`scanFrameText`), and only then `JSON.parse`, so no hostile frame costs more than one
 * pass over its characters.
 */
export function readClientFrameText(text: string, bytes: number = text.length): FrameRead {
  const scan = scanFrameText(text, wireLimits.maxDepth)
  // The call's id, read by the scan, so the caller gets its error even for a frame refused unparsed.
  const callId = scan.kind === 'call' && scan.id !== undefined ? scan.id : null
  const refusedAs = (message: string): FrameRead => ({ ok: false, callId, error: { code: 'BadRequest', message } })
  if (bytes > wireLimits.maxFrameBytes) return refusedAs(`The frame was refused: it is over ${wireLimits.maxFrameBytes} bytes.`)
  if (!scan.ok) {
    if (scan.problem.startsWith('it nests')) return refusedAs(`The frame was refused: ${scan.problem}.`)
    // Text that isn't JSON has no call to answer: its error goes to the connection, as before.
    return { ok: false, callId: null, error: { code: 'BadRequest', message: 'The frame is not JSON.' } }
  }
  if (bytes > wireLimits.smallFrameBytes && !wireLimits.largeFrameMethods.includes(scan.method ?? '')) {
    return refusedAs(
      `The frame was refused: it is ${bytes} bytes, and only ${wireLimits.largeFrameMethods.join(', ')} may be over ${wireLimits.smallFrameBytes}.`
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, callId: null, error: { code: 'BadRequest', message: 'The frame is not JSON.' } }
  }
  return readClientFrame(value)
}

function idsOf(value: unknown): Pick<FrameProblem, 'callId'> {
  if (!isRecord(value)) return { callId: null }
  const id = wireIdSchema.safeParse(value['id'])
  return { callId: id.success && value['kind'] === 'call' ? id.data : null }
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
