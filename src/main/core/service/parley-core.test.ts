import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { maxEventSeq, settingsSchema, type ParleyEvent, type RunComplete, type Status } from '../../../shared'
import {
  lastUserText,
  startScriptedServer,
  unusedPort,
  type ScriptedServer,
  type ScriptedServerOptions
} from '../../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'
import { dispatch } from './dispatch'

let server: ScriptedServer
const isTitleRequest = (body: unknown) => JSON.stringify(body).includes('Write a title')
let core: ParleyCore

afterEach(async () => {
  await core?.shutdown()
  await server?.close()
})

async function start(dataDir = mkdtempSync(join(tmpdir(), 'parley-core-')), port?: number, serverOptions: ScriptedServerOptions = {}) {
  server = await startScriptedServer(port === undefined ? serverOptions : { ...serverOptions, port })
  core = await createParleyCore({
    dataDir,
    secrets: new MemorySecretStore(),
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: server.url }],
      models: { large: { providerId: 'scripted', model: 'large' }, small: { providerId: 'scripted', model: 'small' } }
    })
  })
  return { dataDir }
}

const call = async (method: string, ...args: unknown[]) => {
  const answer = await dispatch(core.service, method, args)
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`)
  return answer.result
}

describe('the core, headless, against the scripted server', () => {
  it('runs a queued prompt as its own turn over real HTTP, and the second request carries the first turn', async () => {
    await start()
    server.setDefault((req) => {
      if (isTitleRequest(req.body)) return { text: 'A title' }
      return lastUserText(req) === 'main' ? { text: 'first answer', gate: 'g1' } : { text: 'second answer' }
    })
    const session = (await call('createSession', {})) as { id: string }
    const completes: RunComplete[] = []
    core.service.subscribe(0, (event: ParleyEvent) => {
      if (event.type === 'run.complete') completes.push(event.complete)
    })
    expect(await call('enqueue', { sessionId: session.id, runId: 'r1', prompt: 'main' })).toMatchObject({ state: 'active' })
    await server.waitForGate('g1')
    expect(await call('enqueue', { sessionId: session.id, runId: 'r2', prompt: 'follow' })).toMatchObject({
      state: 'queued',
      position: 1
    })
    const second = call('run', { sessionId: session.id, runId: 'r3', prompt: 'third' })
    server.release('g1')
    await expect(second).resolves.toMatchObject({ runId: 'r3', text: 'second answer' })
    // Subscribers hear each event once the journal has it on disk: a moment after the call's own answer, at most.
    await expect.poll(() => completes.map((c) => c.runId)).toEqual(['r1', 'r2', 'r3'])
    expect(completes[0]?.text).toBe('first answer')
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions') && !isTitleRequest(r.body))
    const messages = (chats[1]?.body as { messages: { role: string; content: string }[] }).messages
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'main'],
      ['assistant', 'first answer'],
      ['user', 'follow']
    ])
  })

  it('H1: with no window, the second turn carries the first, read from main\'s session log', async () => {
    await start()
    server.setDefault({ text: 'ok' })
    const session = (await call('createSession', { title: 'named' })) as { id: string }
    await call('run', { sessionId: session.id, prompt: 'hello' })
    await call('run', { sessionId: session.id, prompt: 'again' })
    const body = server.requests.at(-1)?.body as { messages: { content: string }[] }
    expect(body.messages.map((m) => m.content)).toEqual(['hello', 'ok', 'again'])
  })

  it('keeps sessions across a restart of main, and API keys never appear in the settings view', async () => {
    const { dataDir } = await start()
    const session = (await call('createSession', { title: 'kept' })) as { id: string }
    const view = (await call('updateSettings', { apiKey: { providerId: 'scripted', key: 'sk-secret' } })) as object
    expect(JSON.stringify(view)).not.toContain('sk-secret')
    expect(view).toMatchObject({ apiKeys: { scripted: true } })
    await core.shutdown()
    const { port } = server
    await server.close()
    // The same server back at its address: the folder keeps the provider its first start was given.
    await start(dataDir, port)
    server.setDefault({ text: 'still here' })
    await expect(call('run', { sessionId: session.id, prompt: 'hi' })).resolves.toMatchObject({ text: 'still here' })
  })

  it('a subscriber that has seen more than a restarted main moves main past its seq', async () => {
    await start()
    const seen: number[] = []
    core.service.subscribe(500, (event) => {
      seen.push(event.seq)
    })
    await call('createSession', {})
    await expect.poll(() => seen).toEqual([501])
  })

  it('a subscriber claiming a seq past maxEventSeq is refused, and main goes on from its own seq', async () => {
    await start()
    const before = core.broker.lastSeq
    for (const since of [maxEventSeq + 1, Number.MAX_SAFE_INTEGER]) {
      expect(() => core.service.subscribe(since, () => {})).toThrow(/a seq from 0 to 281474976710656/)
    }
    expect(core.broker.lastSeq).toBe(before)
    const seen: number[] = []
    core.service.subscribe(maxEventSeq, (event) => void seen.push(event.seq))
    await call('createSession', {})
    // The highest seq a window may claim still leaves every later seq a safe integer the bridge can read.
    await expect.poll(() => seen).toEqual([maxEventSeq + 1])
  })
})

describe('offline (rule C3), over real HTTP', () => {
  it('C3: with the model server down, prompts wait; when it is back they run in order, each with one RunComplete', async () => {
    const port = await unusedPort()
    await start(undefined, port)
    await server.close()
    const session = (await call('createSession', { title: 'offline' })) as { id: string }
    const events: ParleyEvent[] = []
    core.service.subscribe(core.broker.lastSeq, (event) => {
      events.push(event)
    })
    expect(await call('enqueue', { sessionId: session.id, runId: 'r1', prompt: 'first' })).toMatchObject({ state: 'active' })
    while (core.reachability.isReachable('scripted')) await new Promise((r) => setTimeout(r, 5))
    expect(await call('enqueue', { sessionId: session.id, runId: 'r2', prompt: 'second' })).toMatchObject({ state: 'waiting' })
    expect(events.filter((e) => e.type === 'run.complete')).toEqual([])
    expect(events.some((e) => e.type === 'provider.status' && !e.reachable)).toBe(true)
    expect(await call('status')).toMatchObject({ providers: [{ providerId: 'scripted', reachable: false }] })

    server = await startScriptedServer({ port })
    server.setDefault((req) => ({ text: `answer to ${lastUserText(req)}` }))
    core.reachability.probeNow() // what the OS's online event does
    const second = await new Promise<RunComplete>((resolve) =>
      core.service.subscribe(core.broker.lastSeq, (event) => {
        if (event.type === 'run.complete' && event.complete.runId === 'r2') resolve(event.complete)
      })
    )
    expect(second.text).toBe('answer to second')
    const completes = events.filter((e) => e.type === 'run.complete').map((e) => (e.type === 'run.complete' ? e.complete : null))
    expect(completes.map((c) => [c?.runId, c?.text])).toEqual([
      ['r1', 'answer to first'],
      ['r2', 'answer to second']
    ])
    // The monitor's probe (GET /models) came first; then each prompt ran as its own request, in order.
    expect(server.requests[0]?.path).toMatch(/\/models$/)
    const prompts = server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => lastUserText(r))
    expect(prompts).toEqual(['first', 'second'])
  })

  it('Test and Load models check the typed URL, not the saved one', async () => {
    await start()
    const refused = `http://127.0.0.1:${await unusedPort()}/v1`
    // The saved provider answers; the typed draft points at a port nobody listens on.
    expect(await call('testProvider', 'scripted')).toMatchObject({ ok: true })
    const draft = (await call('testProvider', { kind: 'openai', baseUrl: refused, providerId: 'scripted' })) as {
      ok: boolean
      message: string
    }
    expect(draft.ok).toBe(false)
    expect(draft.message).toMatch(/reach/i)
    // And a draft pointing at a server that answers lists its models, although nothing was saved.
    expect(await call('listModels', { kind: 'openai', baseUrl: server.url })).toEqual(['scripted-large', 'scripted-small'])
    expect(core.settings.get().providers.map((p) => p.baseUrl)).toEqual([server.url])
  })

  it('C6: Test of a local server that lists its models but is still loading one says so, with its words', async () => {
    await start()
    server.loadModelFor(60_000)
    expect(await call('testProvider', 'scripted')).toEqual({
      ok: true,
      message: 'Connected: the server offers 2 model(s) but is still loading one (it answered 503: Loading model). Prompts wait until it is ready.',
      models: ['scripted-large', 'scripted-small'],
      loading: 'Loading model'
    })
    server.loadModelFor(0)
    expect(await call('testProvider', { kind: 'openai', baseUrl: server.url })).toEqual({
      ok: true,
      message: 'Connected: the server offers 2 model(s).',
      models: ['scripted-large', 'scripted-small']
    })
  })

  it('B2: servedContext answers what the saved provider\'s server says it runs the model with, null when it says nothing', async () => {
    await start(undefined, undefined, { models: ['large'], servedContext: { engine: 'vllm', size: 4096 } })
    expect(await call('servedContext', 'scripted', 'large')).toBe(4096)
    expect(await call('servedContext', 'scripted', 'not-served')).toBeNull()
    await expect(call('servedContext', 'missing', 'large')).rejects.toThrow(/BadRequest/)
  })

  it('listChats answers the chats without their messages, the newest activity first, at most `limit`; a bad limit is refused', async () => {
    await start()
    const older = (await call('createSession', { title: 'Older' })) as { id: string }
    await new Promise((resolve) => setTimeout(resolve, 5))
    const newer = (await call('createSession', { title: 'Newer' })) as { id: string }
    const all = (await call('listChats', {})) as { id: string; title: string; leafId: string | null }[]
    expect(all.map((chat) => [chat.id, chat.title, chat.leafId])).toEqual([[newer.id, 'Newer', null], [older.id, 'Older', null]])
    expect(((await call('listChats', { limit: 1 })) as { id: string }[]).map((chat) => chat.id)).toEqual([newer.id])
    await expect(call('listChats', { limit: 0 })).rejects.toThrow(/BadRequest/)
    await expect(call('listChats', { limit: 1, messages: true })).rejects.toThrow(/BadRequest/)
  })

  it('Test of an OpenAI-compatible server at an address without /v1 says to try it with /v1', async () => {
    await start()
    const root = server.url.replace(/\/v1$/, '')
    const test = (await call('testProvider', { kind: 'openai', baseUrl: root })) as { ok: boolean; message: string }
    expect(test).toMatchObject({ ok: false })
    expect(test.message).toBe(
      `The model server rejected the request (404): No route for GET /models. OpenAI-compatible servers usually answer under /v1: try ${root}/v1`
    )
    await expect(call('listModels', { kind: 'openai', baseUrl: `${root}/` })).rejects.toThrow(`try ${root}/v1`)
  })

  it('a saved change to the settings is told to every window (settings.changed), a refused one is not', async () => {
    await start()
    const heard: string[] = []
    core.service.subscribe(core.broker.lastSeq, (event: ParleyEvent) => {
      heard.push(event.type)
    })
    await call('updateSettings', { systemPrompt: 'Be brief.' })
    await call('updateSettings', { apiKey: { providerId: 'scripted', key: 'sk-new' } })
    await dispatch(core.service, 'updateSettings', [{ apiKey: { providerId: 'missing', key: 'sk' } }])
    await vi.waitFor(() => expect(heard).toEqual(['settings.changed', 'settings.changed']))
  })
})

describe('dispatch: bad input gets a typed error and changes nothing', () => {
  it('refuses unknown methods, prototype keys and wrong arguments', async () => {
    await start()
    const seq = core.broker.lastSeq
    const cases: [unknown, unknown, string][] = [
      ['nope', [], 'UnknownMethod'],
      ['__proto__', [], 'UnknownMethod'],
      ['constructor', [], 'UnknownMethod'],
      ['toString', [], 'UnknownMethod'],
      [42, [], 'UnknownMethod'],
      ['enqueue', [], 'BadRequest'],
      ['enqueue', 'not an array', 'BadRequest'],
      ['enqueue', [{ sessionId: 5, prompt: 'x' }], 'BadRequest'],
      ['enqueue', [{ sessionId: 's', prompt: 'x'.repeat(300_000) }], 'BadRequest'],
      ['enqueue', [{ sessionId: 'missing', prompt: 'hi' }], 'SessionMissing'],
      ['ack', [-1], 'BadRequest'],
      ['updateSettings', [{ providers: [] }], 'BadRequest'],
      ['updateSettings', [{ unknownField: 1 }], 'BadRequest'],
      ['renameSession', ['missing', 'title'], 'SessionMissing']
    ]
    for (const [method, args, code] of cases) {
      const answer = await dispatch(core.service, method, args)
      expect(answer, `${String(method)}`).toMatchObject({ ok: false, error: { code } })
    }
    expect(core.broker.lastSeq).toBe(seq)
  })
})

describe('local model servers, over real HTTP (rules C6, E2)', () => {
  const completions = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'))
  const label = (r: { body: unknown }) => (isTitleRequest(r.body) ? 'title' : lastUserText(r as Parameters<typeof lastUserText>[0]))

  it('E2: on a server that serves one request at a time, the title request arrives only after the first answer finished', async () => {
    await start(undefined, undefined, { oneAtATime: true })
    server.setDefault((req) => (isTitleRequest(req.body) ? { text: 'A title' } : { text: `answer to ${lastUserText(req)}`, tokenDelayMs: 20 }))
    const session = (await call('createSession', {})) as { id: string }
    await expect(call('run', { sessionId: session.id, runId: 'r1', prompt: 'main' })).resolves.toMatchObject({ text: 'answer to main' })
    await core.agent.idle()
    expect(completions().map(label)).toEqual(['main', 'title'])
    const [answer, title] = completions()
    expect(title?.time).toBeGreaterThanOrEqual(answer?.finishedAt ?? Infinity)
    expect(server.finished.map(label)).toEqual(['main', 'title'])
    expect(core.agent.sessions.get(session.id)).toMatchObject({ title: 'A title', titleSource: 'model' })
  })

  it('E2: prompts queued behind the first answer go first; the title comes when the session has no turn left', async () => {
    await start(undefined, undefined, { oneAtATime: true })
    server.setDefault((req) => {
      if (isTitleRequest(req.body)) return { text: 'A title' }
      return lastUserText(req) === 'main' ? { text: 'first', gate: 'g1' } : { text: 'second' }
    })
    const session = (await call('createSession', {})) as { id: string }
    await call('enqueue', { sessionId: session.id, runId: 'r1', prompt: 'main' })
    await server.waitForGate('g1')
    const follow = call('run', { sessionId: session.id, runId: 'r2', prompt: 'follow' })
    server.release('g1')
    await expect(follow).resolves.toMatchObject({ text: 'second' })
    await core.agent.idle()
    expect(completions().map(label)).toEqual(['main', 'follow', 'title'])
    expect(server.finished.map(label)).toEqual(['main', 'follow', 'title'])
  })

  it('C6: a prompt sent while the server loads its model waits as "loading", then answers by itself', async () => {
    await start(undefined, undefined, { loadingMs: 2500 })
    server.setDefault({ text: 'loaded and answering' })
    const session = (await call('createSession', { title: 'named' })) as { id: string }
    const events: ParleyEvent[] = []
    core.service.subscribe(core.broker.lastSeq, (event) => {
      events.push(event)
    })
    const began = Date.now()
    const answer = call('run', { sessionId: session.id, runId: 'r1', prompt: 'hello' })
    while (core.reachability.isReachable('scripted')) await new Promise((r) => setTimeout(r, 5))
    expect(await call('status')).toMatchObject({ providers: [{ providerId: 'scripted', reachable: false, state: 'loading' }] })
    expect(await call('enqueue', { sessionId: session.id, runId: 'r2', prompt: 'meanwhile' })).toMatchObject({ state: 'waiting' })

    await expect(answer).resolves.toMatchObject({ runId: 'r1', text: 'loaded and answering', cancelled: false })
    const waited = Date.now() - began
    expect(waited).toBeGreaterThanOrEqual(2500)
    // A server on this machine is tried every 1–2 s: the prompt ran within about 2 s of the model being ready.
    expect(waited).toBeLessThan(2500 + 2500)
    await core.agent.idle()
    await core.journal.durable()
    await expect.poll(() => events.filter((e) => e.type === 'provider.status').at(-1)).toMatchObject({ reachable: true })
    const statuses = events.filter((e) => e.type === 'provider.status')
    expect(statuses[0]).toMatchObject({ reachable: false, state: 'loading', detail: 'The model server is still loading the model (503): Loading model.' })
    expect(statuses.at(-1)).toMatchObject({ reachable: true })
    // Loading is not C4: nothing was "retried" as a rate limit, and no failed answer was kept.
    expect(events.some((e) => e.type === 'run.retrying')).toBe(false)
    const finished = events.flatMap((e) => (e.type === 'message.finished' && e.message.role === 'assistant' ? [e.message] : []))
    expect(finished.map((m) => [m.runId, m.finishReason])).toEqual([
      ['r1', 'end_turn'],
      ['r2', 'end_turn']
    ])
    // The probe (GET /models) answers while loading, so the waiting turn itself was tried again.
    expect(completions().length).toBeGreaterThanOrEqual(3)
    // (The turn's own question about the served context, B2, is a GET /v1/models too, not through the SDK: not a probe.)
    expect(server.requests.filter((r) => r.path.endsWith('/models') && String(r.headers['user-agent']).startsWith('OpenAI/'))).toHaveLength(0)
  })
  it('C6: Ollama loading the model on the first prompt: Test says no model is in memory, the prompt says the model is being loaded (run.loading), then answers', async () => {
    await start(undefined, undefined, { models: ['large', 'small'], loadOnFirstAnswer: { engine: 'ollama', ms: 3000 } })
    server.setDefault({ text: 'loaded and answering' })
    expect(await call('testProvider', 'scripted')).toMatchObject({ ok: true, inMemory: [] })
    const session = (await call('createSession', { title: 'named' })) as { id: string }
    const events: ParleyEvent[] = []
    core.service.subscribe(core.broker.lastSeq, (event) => {
      events.push(event)
    })
    await expect(call('run', { sessionId: session.id, runId: 'r1', prompt: 'hello' })).resolves.toMatchObject({ text: 'loaded and answering' })
    const said = events.filter((e) => e.type === 'run.loading' || (e.type === 'message.created' && e.message.role === 'assistant'))
    expect(said).toMatchObject([
      { type: 'run.loading', runId: 'r1', detail: 'Ollama is loading large into memory (the first answer after a start takes longer).' },
      { type: 'message.created' }
    ])
    // Not a server that is down or loading as C6's 503 says: the provider stays reachable.
    expect(events.some((e) => e.type === 'provider.status')).toBe(false)
    expect(await call('testProvider', 'scripted')).toMatchObject({ ok: true, inMemory: ['large:latest', 'small:latest'] })
  })
  it('C6: status() carries the loading sentence while the model loads into memory, and drops it at the first token', async () => {
    await start(undefined, undefined, { models: ['large', 'small'], loadOnFirstAnswer: { engine: 'ollama', ms: 3000 } })
    server.setDefault({ text: 'loaded and answering', gate: 'mid', gateAfterTokens: 1 })
    const session = (await call('createSession', { title: 'named' })) as { id: string }
    const events: ParleyEvent[] = []
    core.service.subscribe(core.broker.lastSeq, (event) => {
      events.push(event)
    })
    expect(await call('enqueue', { sessionId: session.id, runId: 'r1', prompt: 'hello' })).toMatchObject({ state: 'active' })
    await expect.poll(() => events.some((e) => e.type === 'run.loading'), { timeout: 10_000 }).toBe(true)
    const detail = 'Ollama is loading large into memory (the first answer after a start takes longer).'
    expect(await call('status')).toMatchObject({
      sessions: [{ sessionId: session.id, busy: true, activeRunId: 'r1', loading: { runId: 'r1', detail } }]
    })
    // The first token came (the answer is held after it): the model is in memory, the sentence is over.
    await server.waitForGate('mid', 10_000)
    await expect.poll(() => events.some((e) => e.type === 'message.created' && e.message.role === 'assistant')).toBe(true)
    const answering = (await call('status')) as Status
    expect(answering.sessions).toMatchObject([{ sessionId: session.id, busy: true, activeRunId: 'r1' }])
    expect(answering.sessions[0]?.loading).toBeUndefined()
    server.release('mid')
    await expect(call('awaitRun', 'r1')).resolves.toMatchObject({ text: 'loaded and answering' })
    expect(((await call('status')) as Status).sessions).toEqual([])
  })
  it('C4: status() carries a rate-limited run\'s next try until its answer starts', async () => {
    await start()
    server.script({ fault: { type: 'status', status: 429, retryAfter: 2 } }, { text: 'after the wait' })
    const session = (await call('createSession', { title: 'named' })) as { id: string }
    const events: ParleyEvent[] = []
    core.service.subscribe(core.broker.lastSeq, (event) => {
      events.push(event)
    })
    await call('enqueue', { sessionId: session.id, runId: 'r1', prompt: 'hello' })
    await expect.poll(() => events.find((e) => e.type === 'run.retrying')).toBeDefined()
    const retrying = events.find((e) => e.type === 'run.retrying')
    const status = (await call('status')) as Status
    expect(status.sessions).toMatchObject([{ sessionId: session.id, activeRunId: 'r1', retry: { runId: 'r1', attempt: 1, status: 429 } }])
    expect(status.sessions[0]?.retry?.retryAt).toBe((retrying?.at ?? 0) + 2000)
    expect(status.sessions[0]?.retry?.detail).toMatch(/429|rate/i)
    await expect(call('awaitRun', 'r1')).resolves.toMatchObject({ text: 'after the wait' })
    expect(((await call('status')) as Status).sessions).toEqual([])
  })
})
