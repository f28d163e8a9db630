import { apiMethods, readClientFrame, type ApiMethod, type ErrorCode } from '../../../shared'
import { seededRandom } from '../../../shared/testing/seeded-random'

/**
 * Malformed bridge messages for the bad-input test (bad-input.test.ts), made deterministically from a seed.
 *
 * Every message is one WebSocket frame a buggy or hostile page could send, with the one error frame the host must
 * answer it with. None of them may reach the agent as a valid call: each family below is built to be wrong, and
 * `assertRefused` double-checks that against the contract before a message is kept (a mutation the contract accepts
 * is not bad input, and sending it could change state).
 */

export interface MalformedFrame {
  /** The family it comes from and what was done, for failure messages. */
  readonly label: string
  /** A string goes out as a text frame, a Buffer as a binary frame. */
  readonly data: string | Buffer
  /** The error frame's `id` (the call's id when the frame was a readable call, else null) and `error.code`. */
  readonly expected: { readonly id: number | null; readonly code: ErrorCode }
}

/** A session and a run no test ever creates: calls that get past validation are refused without touching state. */
export const missingSessionId = 'no-such-session'
const missingRunId = 'no-such-run'

type Random = () => number

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))

/**
 * A number token written into the JSON text as it is: JSON.stringify can't write 1e309 (it would say null), but a
 * page can send it, and JSON.parse reads it as Infinity.
 */
class RawNumber {
  constructor(readonly token: string) {}
}
const raw = (token: string): RawNumber => new RawNumber(token)

/** JSON.stringify, except that RawNumber tokens go into the text verbatim. */
function encode(value: unknown): string {
  const tokens: string[] = []
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (!(item instanceof RawNumber)) return item
    tokens.push(item.token)
    return `@@raw${tokens.length - 1}@@`
  })
  return text.replace(/"@@raw(\d+)@@"/g, (_match, index: string) => tokens[Number(index)] ?? 'null')
}

/** An own, enumerable key of any name, `__proto__` included (an object literal would set the prototype instead). */
function withKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
  return target
}

/** Call ids come from a small pool, so the same id is refused again and again (and reused after valid calls). */
const idPool = [0, 1, 2, 7, 42, 1000, Number.MAX_SAFE_INTEGER] as const

/**
 * One harmless, valid argument list per method: every field filled in, pointing at a session, run or provider that
 * does not exist. It is never sent as it is; the families below break it. `Record<ApiMethod, …>` makes a new method
 * in the contract fail the type check until it has a template here.
 */
const templates: Record<ApiMethod, unknown[]> = {
  enqueue: [
    {
      sessionId: missingSessionId,
      runId: missingRunId,
      prompt: 'hello',
      attachments: [{ name: 'a.txt', mimeType: 'text/plain', dataBase64: 'aGVsbG8=' }]
    }
  ],
  run: [
    {
      sessionId: missingSessionId,
      runId: missingRunId,
      prompt: 'hello',
      attachments: [{ name: 'a.txt', mimeType: 'text/plain', dataBase64: 'aGVsbG8=' }]
    }
  ],
  awaitRun: [missingRunId],
  putAttachment: [{ name: 'a.txt', mimeType: 'text/plain', dataBase64: 'aGVsbG8=' }],
  beginAttachment: [{ name: 'a.txt', mimeType: 'text/plain', size: 5 }],
  appendAttachment: ['missing-upload', 0, 'aGVsbG8='],
  finishAttachment: ['missing-upload'],
  holdAttachments: [['0'.repeat(64)]],
  readAttachment: ['0'.repeat(64)],
  readAttachmentPart: ['0'.repeat(64), 0],
  modelVision: ['missing-provider', 'a-model'],
  servedContext: ['missing-provider', 'a-model'],
  ack: [3],
  cancel: [missingSessionId],
  cancelRun: [missingRunId],
  windowReady: [],
  clearQueue: [missingSessionId],
  status: [],
  createSession: [{ title: 'A title' }],
  renameSession: [missingSessionId, 'A new name'],
  deleteSession: [missingSessionId],
  updateSession: [missingSessionId, { temperature: 0.5 }],
  switchBranch: [missingSessionId, 'missing-message'],
  deleteMessages: [missingSessionId, 'missing-message'],
  // An archive with no chats: the contract takes any value (main reads it), so a kept frame breaks the argument list.
  importChats: [{ format: 'parley.chats', version: 1, exportedAt: 0, chats: [] }],
  restoreLog: [{ chats: [{ id: missingSessionId, title: 't', createdAt: 0, updatedAt: 0, leafId: null, messages: [] }] }],
  finishLogRestore: [],
  getSettings: [],
  historyState: [],
  historySnapshot: [{ cursor: { snapshotId: 'missing-snapshot', session: 0, beforeSeq: 0 } }],
  listChats: [{ limit: 1 }],
  updateSettings: [
    {
      providers: [{ id: 'other', kind: 'openai', name: 'Other', baseUrl: 'http://127.0.0.1:9/v1' }],
      models: {
        large: { providerId: 'other', model: 'big', contextWindow: 4096, maxOutputTokens: 512 },
        small: { providerId: 'other', model: 'small', contextWindow: 4096, maxOutputTokens: 64 }
      },
      systemPrompt: 'Be brief.',
      maxRetries: 2,
      desktop: { closeToTray: false, notifications: { enabled: false, onlyInBackground: false } },
      apiKey: { providerId: 'other', key: 'sk-test' }
    }
  ],
  listModels: ['no-such-provider'],
  testProvider: ['no-such-provider'],
  probeNow: []
}

const methods = Object.keys(templates) as ApiMethod[]

/** Values of every JSON type, and numbers no schema field takes (Infinity, -Infinity, unsafe, fractional, tiny). */
const wrongValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  raw('1e309'),
  raw('-1e309'),
  raw('9007199254740993'),
  raw('-9007199254740993'),
  raw('1e-400'),
  raw('4.9e-324'),
  '',
  'x',
  '0',
  'NaN',
  [],
  [1],
  {},
  { a: 1 }
]

type Path = readonly (string | number)[]

/** Every node under an argument list (each argument, and everything inside it), as paths from the list. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])])
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])])
  }
  return []
}

function containerAt(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key]
  return node as Record<string | number, unknown>
}

function replaced(args: unknown[], path: Path, value: unknown): unknown[] {
  const copy = structuredClone(args)
  containerAt(copy, path)[path[path.length - 1] as string | number] = value
  return copy
}

function removed(args: unknown[], path: Path): unknown[] {
  const copy = structuredClone(args)
  const container = containerAt(copy, path)
  const last = path[path.length - 1] as string | number
  if (Array.isArray(container) && typeof last === 'number') container.splice(last, 1)
  else delete container[last]
  return copy
}

const callText = (id: unknown, method: unknown, args: unknown): string => encode({ kind: 'call', id, method, args })

/**
 * Checks, before a message is kept, that the bridge can only refuse it: a frame that reads as a valid non-call frame
 * (a subscribe, say) would get no answer and change this connection's state; a call whose method and arguments pass
 * the contract would run. For text that is JSON, this decides exactly as the host does.
 */
function refusedByContract(data: string | Buffer): boolean {
  if (typeof data !== 'string') return true
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return true
  }
  const read = readClientFrame(value)
  if (!read.ok) return true
  if (read.frame.kind !== 'call') return false
  const { method, args } = read.frame
  if (!Object.hasOwn(apiMethods, method)) return true
  return !apiMethods[method as ApiMethod].args.safeParse(args).success
}

/** What the host must answer: an error naming the call (`id`) when it could read one, with this code. */
function refusal(label: string, data: string | Buffer, id: number | null, code: ErrorCode = 'BadRequest'): MalformedFrame {
  return { label, data, expected: { id, code } }
}

/** A call to a real method with these arguments, kept only if the contract refuses them (the BadRequest families). */
function badArguments(label: string, id: number, method: ApiMethod, args: unknown): MalformedFrame | undefined {
  const data = callText(id, method, args)
  return refusedByContract(data) ? refusal(label, data, id) : undefined
}

function kept(frames: (MalformedFrame | undefined)[]): MalformedFrame[] {
  return frames.filter((frame): frame is MalformedFrame => frame !== undefined)
}

// ── The families ───────────────────────────────────────────────────────────────────────────────────────────────

/** Every field of every method's arguments (and every argument whole) replaced by each wrong value. */
function wrongTypes(random: Random): MalformedFrame[] {
  const frames: (MalformedFrame | undefined)[] = []
  for (const method of methods) {
    for (const path of pathsOf(templates[method])) {
      for (const value of wrongValues) {
        const label = `wrong type: ${method} ${path.join('.')} = ${encode(value)}`
        frames.push(badArguments(label, pick(random, idPool), method, replaced(templates[method], path, value)))
      }
    }
  }
  return kept(frames)
}

/** Every field left out, every argument list cut short, one argument too many, and arguments that are no list. */
function missingAndExtra(random: Random): MalformedFrame[] {
  const frames: (MalformedFrame | undefined)[] = []
  for (const method of methods) {
    const template = templates[method]
    for (const path of pathsOf(template)) {
      frames.push(badArguments(`missing: ${method} ${path.join('.')}`, pick(random, idPool), method, removed(template, path)))
    }
    for (let length = 0; length < template.length; length++) {
      const label = `too few arguments: ${method}/${length}`
      frames.push(badArguments(label, pick(random, idPool), method, template.slice(0, length)))
    }
    frames.push(badArguments(`one argument too many: ${method}`, pick(random, idPool), method, [...template, 'extra']))
    // `args` must be a list: this is refused when the frame itself is read, still naming the call.
    const id = pick(random, idPool)
    frames.push(refusal(`args not a list: ${method}`, callText(id, method, { 0: template[0] }), id))
    frames.push(refusal(`args missing: ${method}`, encode({ kind: 'call', id, method }), id))
  }
  return kept(frames)
}

/** Names that are no method of the contract: the object's own prototype, the streams, near misses, random words. */
function unknownMethods(random: Random): MalformedFrame[] {
  const names = [
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    '__lookupSetter__',
    'subscribe',
    'answerHistory',
    'history',
    'shutdown',
    'ENQUEUE',
    'Enqueue',
    'enqueue ',
    ' status',
    'status\u0000',
    'statu',
    'deleteSessions',
    'éçà',
    '🙂',
    '',
    'x'.repeat(100)
  ]
  const frames = names.map((name) => {
    const id = pick(random, idPool)
    return refusal(`unknown method ${JSON.stringify(name.slice(0, 20))}`, callText(id, name, []), id, 'UnknownMethod')
  })
  // A method name longer than any real one is refused when the frame is read.
  const id = pick(random, idPool)
  frames.push(refusal('method name of 101 characters', callText(id, 'm'.repeat(101), []), id))
  return frames
}

/** Frames main sends (never the renderer), unknown and mistyped kinds, and known kinds with broken fields. */
function wrongFrames(random: Random): MalformedFrame[] {
  const frames: MalformedFrame[] = []
  const frame = (label: string, value: unknown, id: number | null = null): void => {
    frames.push(refusal(label, encode(value), id))
  }
  const kinds = ['result', 'error', 'event', 'history.request', 'CALL', 'Call', ' call', 'call\u0000', 'calls', '', 'subscribe ', 'ack']
  for (const kind of kinds) {
    frame(`kind ${JSON.stringify(kind)}`, { kind, id: pick(random, idPool), method: 'status', args: [] })
  }
  for (const kind of [5, null, true, [], {}, ['call'], { kind: 'call' }, raw('1e309')]) {
    frame(`kind of the wrong type ${encode(kind)}`, { kind, id: 1, method: 'status', args: [] })
  }
  frame('no kind', { id: 1, method: 'status', args: [] })
  frame('a kind of 10,000 characters', { kind: 'k'.repeat(10_000) })
  for (const since of [-1, 1.5, '0', null, true, [], {}, raw('1e309'), raw('-1e309'), raw('9007199254740993'), Number.MAX_SAFE_INTEGER, 2 ** 48 + 1]) {
    frame(`subscribe since ${encode(since)}`, { kind: 'subscribe', since })
  }
  frame('subscribe without since', { kind: 'subscribe' })
  frame('subscribe with an extra field', { kind: 'subscribe', since: 0, from: 0 })
  frame('unsubscribe with an extra field', { kind: 'unsubscribe', now: true })
  frame('history.attach with an extra field', { kind: 'history.attach', sessionId: missingSessionId })
  frame('history.detach with an extra field', { kind: 'history.detach', all: true })
  // The history frames main once read (it no longer asks the window for history, H1): unknown kinds now.
  frame('history.answer nobody asked for', { kind: 'history.answer', id: 4, messages: [] })
  frame('history.failed nobody asked for', { kind: 'history.failed', id: 5, error: { code: 'Internal', message: 'x' } })
  frame('history.answer with messages of the wrong shape', { kind: 'history.answer', id: 6, messages: [{ id: 1 }] })
  frame('history.answer with messages not a list', { kind: 'history.answer', id: 6, messages: 'none' })
  frame('history.failed with an unknown code', { kind: 'history.failed', id: 7, error: { code: 'Boom', message: 'x' } })
  frame('history.answer with a negative id', { kind: 'history.answer', id: -7, messages: [] })
  // Calls whose id is not one of ours: refused without an id to name.
  for (const id of [-1, 1.5, '1', null, true, [], {}, raw('1e309'), raw('-1e309'), raw('9007199254740992'), raw('1e-7')]) {
    frame(`call id ${encode(id)}`, { kind: 'call', id, method: 'status', args: [] })
  }
  frame('call without an id', { kind: 'call', method: 'status', args: [] })
  // -0 is a valid id: JSON.parse reads it as -0, which is 0, so the answer names call 0.
  frames.push(refusal('call id -0, unknown method', '{"kind":"call","id":-0,"method":"nope","args":[]}', 0, 'UnknownMethod'))
  for (const method of [5, null, true, [], {}, ['status'], raw('1e309')]) {
    const id = pick(random, idPool)
    frame(`method of the wrong type ${encode(method)}`, { kind: 'call', id, method, args: [] }, id)
  }
  for (const args of [null, 'status', 5, true, {}, raw('1e309')]) {
    const id = pick(random, idPool)
    frame(`args of the wrong type ${encode(args)}`, { kind: 'call', id, method: 'status', args }, id)
  }
  const id = pick(random, idPool)
  frame('a call with an extra field', { kind: 'call', id, method: 'status', args: [], extra: 1 }, id)
  return frames
}

/** Text that is no JSON at all, or JSON that is no object: broken syntax, truncations, lone values. */
function notJson(random: Random): MalformedFrame[] {
  const status = '{"kind":"call","id":1,"method":"status","args":[]}'
  const texts = [
    '',
    ' ',
    '\n',
    '{',
    '}',
    '[',
    '"',
    'undefined',
    'NaN',
    'Infinity',
    '-Infinity',
    'nul',
    'tru',
    "{'kind':'call'}",
    '{kind:"call"}',
    '{"kind":"call",}',
    '{"kind":"call" "id":1}',
    '{"kind":"call","id":1,"method":"status","args":[NaN]}',
    '{"kind":"call","id":1,"method":"status","args":[1,]}',
    `${status} // a comment`,
    '/* a comment */ {"kind":"unsubscribe"}',
    `\ufeff${status}`,
    `${status}{"kind":"unsubscribe"}`,
    '{"kind":"call","id":0x1,"method":"status","args":[]}',
    '{"kind":"call","id":01,"method":"status","args":[]}',
    '{"kind":"call","id":1,"method":"sta\\qtus","args":[]}',
    // A raw control character inside a JSON string.
    '{"kind":"call","id":1,"method":"status","args":["\u0001"]}',
    '42',
    '-0',
    '1e309',
    '"call"',
    'true',
    'null',
    '[]',
    `[${status}]`,
    '"{\\"kind\\":\\"call\\"}"'
  ]
  const frames = texts.map((text) => refusal(`not a frame: ${JSON.stringify(text.slice(0, 40))}`, text, null))
  const whole = callText(1, 'enqueue', templates.enqueue)
  for (let i = 0; i < 40; i++) {
    const cut = between(random, 0, whole.length - 1)
    frames.push(refusal(`truncated JSON at ${cut}`, whole.slice(0, cut), null))
  }
  return frames
}

/** Binary frames: random bytes, none at all, and a perfectly valid call sent as binary (still refused). */
function binaryFrames(random: Random): MalformedFrame[] {
  const frames = [
    refusal('binary: empty', Buffer.alloc(0), null),
    refusal('binary: a valid status call', Buffer.from(callText(1, 'status', [])), null),
    refusal('binary: a valid createSession call', Buffer.from(callText(2, 'createSession', [{}])), null)
  ]
  for (const length of [1, 2, 3, 7, 64, 1000, 65_536, 1_000_000]) {
    frames.push(refusal(`binary: ${length} random bytes`, randomBytes(random, length), null))
  }
  return frames
}

function randomBytes(random: Random, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => between(random, 0, 255)))
}

/** Nesting far past the 64 levels any valid frame needs, where a recursive walk would overflow the stack. */
function deepNesting(random: Random): MalformedFrame[] {
  const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)
  const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  const frames: MalformedFrame[] = []
  for (const depth of [64, 65, 1000, 10_000, 100_000]) {
    const id = pick(random, idPool)
    const call = (method: string, args: string): string => `{"kind":"call","id":${id},"method":"${method}","args":${args}}`
    const enqueue = `[{"sessionId":"${missingSessionId}","prompt":"hi","deep":${objects(depth)}}]`
    frames.push(refusal(`nested ${depth} deep: arrays in args`, call('status', arrays(depth)), id))
    frames.push(refusal(`nested ${depth} deep: objects in an enqueue call`, call('enqueue', enqueue), id))
    frames.push(refusal(`nested ${depth} deep: a bare array`, arrays(depth), null))
    frames.push(refusal(`nested ${depth} deep: a subscribe's since`, `{"kind":"subscribe","since":${arrays(depth)}}`, null))
  }
  return frames
}

/** `__proto__`, `constructor` and `prototype` keys wherever a careless merge could turn them into a prototype. */
function prototypeKeys(random: Random): MalformedFrame[] {
  const frames: MalformedFrame[] = []
  const polluter = { polluted: 'yes', title: 'polluted', isAdmin: true }
  const nested = { constructor: { prototype: { polluted: 'yes' } } }
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const id = pick(random, idPool)
    const bad = (label: string, value: unknown, code: ErrorCode = 'BadRequest'): void => {
      frames.push(refusal(`${key} key ${label}`, encode(value), id, code))
    }
    // At the top of the frame: `__proto__` is refused by the unsafe-shape check, the others by the strict schema.
    bad('at the top of a call', withKey({ kind: 'call', id, method: 'status', args: [] }, key, polluter))
    frames.push(refusal(`${key} key in an unsubscribe`, encode(withKey({ kind: 'unsubscribe' }, key, polluter)), null))
    // In strict argument objects: refused.
    bad('in createSession', { kind: 'call', id, method: 'createSession', args: [withKey({}, key, polluter)] })
    bad('in updateSettings', { kind: 'call', id, method: 'updateSettings', args: [withKey({}, key, polluter)] })
    const desktop = withKey({}, key, nested)
    bad('nested in updateSettings.desktop', { kind: 'call', id, method: 'updateSettings', args: [{ desktop }] })
    // The call object is not strict: `constructor` and `prototype` are dropped by the schema, so the call reaches the
    // agent, which refuses it for its session. `__proto__` never gets that far. An attachment (a ref or an upload,
    // issue 14) is strict: any of the three keys in it is refused.
    const code: ErrorCode = key === '__proto__' ? 'BadRequest' : 'SessionMissing'
    const call = withKey({ sessionId: missingSessionId, prompt: 'hi' }, key, polluter)
    const attachments = [withKey({ name: 'a', mimeType: 'text/plain', dataBase64: '' }, key, nested)]
    for (const method of ['enqueue', 'run'] as const) {
      bad(`in ${method}'s call`, { kind: 'call', id, method, args: [call] }, code)
      bad(`in ${method}'s attachment`, { kind: 'call', id, method, args: [{ ...call, attachments }] })
    }
  }
  frames.push(refusal('__proto__: null at the top', '{"kind":"unsubscribe","__proto__":null}', null))
  frames.push(refusal('__proto__ as a list', '{"kind":"call","id":3,"method":"status","args":[],"__proto__":[]}', 3))
  frames.push(refusal('__proto__ deep in args', '{"kind":"call","id":3,"method":"status","args":[[[{"x":{"__proto__":{"a":1}}}]]]}', 3))
  const escaped = '{"kind":"call","id":3,"method":"createSession","args":[{"\\u005f_proto__":{"polluted":1}}]}'
  frames.push(refusal('escaped __proto__ key', escaped, 3))
  return frames
}

const tenMegabytes = 10 * 1024 * 1024

/** A few 10 MB strings (in a prompt, an id, a title, a method, a kind, and plain text) and lists far past any cap. */
function huge(random: Random): MalformedFrame[] {
  const big = 'x'.repeat(tenMegabytes)
  const id = pick(random, idPool)
  const many = (count: number, item: unknown): unknown[] => new Array<unknown>(count).fill(item)
  const attachments = many(100_000, 1)
  return [
    refusal('a 10 MB prompt', callText(id, 'enqueue', [{ sessionId: missingSessionId, prompt: big }]), id),
    refusal('a 10 MB session id', callText(id, 'cancel', [big]), id),
    refusal('a 10 MB title', callText(id, 'createSession', [{ title: big }]), id),
    refusal('a 10 MB method name', callText(id, big, []), id),
    refusal('a 10 MB kind', encode({ kind: big }), null),
    refusal('10 MB of text that is not JSON', `{${big}`, null),
    refusal('a million arguments', callText(id, 'status', many(1_000_000, 0)), id),
    refusal('100,000 attachments', callText(id, 'enqueue', [{ sessionId: missingSessionId, prompt: 'hi', attachments }]), id),
    refusal('10,000 providers', callText(id, 'updateSettings', [{ providers: many(10_000, templates.updateSettings[0]) }]), id),
    // A history answer is a kind main no longer reads; it is refused unread.
    refusal('100,000 messages nobody asked for', encode({ kind: 'history.answer', id: 9, messages: many(100_000, 0) }), null)
  ]
}

// ── Random messages, to fill the count ─────────────────────────────────────────────────────────────────────────

/** JSON's own characters and a few others, whole code points (an emoji is one), so random text is valid UTF-8. */
const alphabet = [...'{}[]":,0123456789-+.eEtruefalsnkidcalmhog \\/\n\t\u00e9\u4e2d\ud83d\ude00']

function randomText(random: Random): string {
  const length = between(random, 1, 200)
  let text = ''
  for (let i = 0; i < length; i++) text += pick(random, alphabet)
  return text
}

/** One random message from the families above, with new randomness each time. */
function randomFrame(random: Random): MalformedFrame | undefined {
  const id = pick(random, idPool)
  const method = pick(random, methods)
  const paths = pathsOf(templates[method])
  switch (between(random, 0, 5)) {
    case 0: {
      // A wrong value at a random place in a random method's arguments (or an argument too many where it takes none).
      const value = pick(random, wrongValues)
      if (paths.length === 0) return badArguments(`random extra argument: ${method}`, id, method, [value])
      const path = pick(random, paths)
      const label = `random wrong type: ${method} ${path.join('.')} = ${encode(value)}`
      return badArguments(label, id, method, replaced(templates[method], path, value))
    }
    case 1: {
      if (paths.length === 0) return undefined
      const path = pick(random, paths)
      return badArguments(`random missing: ${method} ${path.join('.')}`, id, method, removed(templates[method], path))
    }
    case 2: {
      const name = `${pick(random, ['get', 'set', 'run', 'drop', 'admin', '__'])}${Math.floor(random() * 1e6).toString(36)}`
      return refusal(`random unknown method ${name}`, callText(id, name, []), id, 'UnknownMethod')
    }
    case 3: {
      const text = randomText(random)
      // Random text that happens to be a JSON object could be a real frame; keep only the unreadable or non-object.
      try {
        const value: unknown = JSON.parse(text)
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) return undefined
      } catch {
        // not JSON: exactly what this family wants
      }
      return refusal(`random text ${JSON.stringify(text.slice(0, 30))}`, text, null)
    }
    case 4: {
      const length = between(random, 1, 4096)
      return refusal(`random binary: ${length} bytes`, randomBytes(random, length), null)
    }
    default: {
      const whole = callText(id, method, templates[method])
      const cut = between(random, 0, whole.length - 1)
      return refusal(`random truncation of ${method} at ${cut}`, whole.slice(0, cut), null)
    }
  }
}

/**
 * Exactly `count` malformed messages for `seed`: every systematic family in full, topped up with random ones, then
 * shuffled so each stretch of the run mixes families.
 */
export function malformedFrames(seed: number, count: number): MalformedFrame[] {
  const random = seededRandom(seed)
  const frames = [
    ...wrongTypes(random),
    ...missingAndExtra(random),
    ...unknownMethods(random),
    ...wrongFrames(random),
    ...notJson(random),
    ...binaryFrames(random),
    ...deepNesting(random),
    ...prototypeKeys(random),
    ...huge(random)
  ]
  if (frames.length > count) throw new Error(`the systematic families alone make ${frames.length} messages, over ${count}`)
  while (frames.length < count) {
    const frame = randomFrame(random)
    if (frame) frames.push(frame)
  }
  for (const frame of frames) assertRefused(frame)
  // Fisher–Yates with the same generator.
  for (let i = frames.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[frames[i], frames[j]] = [frames[j] as MalformedFrame, frames[i] as MalformedFrame]
  }
  return frames
}

/**
 * A message the contract would accept is a bug in this generator, not bad input: stop before sending it. The only
 * ones let through are the calls built to reach the agent for a session that does not exist.
 */
function assertRefused(frame: MalformedFrame): void {
  const forMissingSession = typeof frame.data === 'string' && frame.data.includes(missingSessionId)
  const reachesTheAgent = frame.expected.code === 'SessionMissing' && forMissingSession
  if (!reachesTheAgent && !refusedByContract(frame.data)) {
    throw new Error(`the generator made a message the bridge accepts: ${frame.label}`)
  }
}
