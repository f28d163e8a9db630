import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { settingsSchema, type Message, type ParleyEvent, type RunComplete } from '../../../shared'
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'
import { dispatch } from './dispatch'

// Issue 10 item 3: a chat's own model, system prompt, temperature and max tokens, over real HTTP in both API shapes,
// kept by main across a restart; and the stats each answer carries.

let server: ScriptedServer | undefined
let core: ParleyCore | undefined

afterEach(async () => {
  await core?.shutdown()
  core = undefined
  await server?.close()
  server = undefined
})

const scripted = (): ScriptedServer => server as ScriptedServer
const isTitle = (request: RecordedRequest): boolean => JSON.stringify(request.body ?? null).includes('Write a title')

async function start(dataDir = mkdtempSync(join(tmpdir(), 'parley-options-'))): Promise<{ dataDir: string; core: ParleyCore }> {
  const scripted = (server ??= await startScriptedServer({ models: ['large', 'other'] }))
  scripted.setDefault((request) => (isTitle(request) ? { text: 'A title' } : { text: 'fine', tokenDelayMs: 2 }))
  core = await createParleyCore({
    dataDir,
    secrets: new MemorySecretStore(),
    initialSettings: settingsSchema.parse({
      providers: [
        { id: 'local', kind: 'openai', name: 'Local', baseUrl: scripted.url },
        { id: 'claude', kind: 'anthropic', name: 'Claude', baseUrl: scripted.url }
      ],
      systemPrompt: 'The default prompt.',
      models: { large: { providerId: 'local', model: 'large', maxOutputTokens: 300 }, small: { providerId: 'local', model: 'small' } }
    })
  })
  return { dataDir, core }
}

async function call(method: string, ...args: unknown[]): Promise<unknown> {
  const answer = await dispatch((core as ParleyCore).service, method, args)
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
  return answer.result
}

/** Sends a prompt and waits for its RunComplete; answers the chat request it made. */
async function ask(sessionId: string, prompt: string): Promise<{ complete: RunComplete; request: Record<string, unknown> }> {
  const complete = (await call('run', { sessionId, prompt })) as RunComplete
  const request = scripted().requests.filter((r) => r.method === 'POST' && r.api !== 'other' && !isTitle(r)).at(-1)
  return { complete, request: request?.body as Record<string, unknown> }
}

const newChat = async (): Promise<string> => ((await call('createSession', {})) as { id: string }).id

describe('a chat\'s own options reach the next request', () => {
  it('OpenAI shape: the chosen model, the chat\'s system prompt, temperature and max_tokens', async () => {
    await start()
    const id = await newChat()
    const before = await ask(id, 'first')
    expect(before.request).toMatchObject({ model: 'large', max_tokens: 300 })
    expect(before.request).not.toHaveProperty('temperature')
    expect((before.request['messages'] as unknown[])[0]).toEqual({ role: 'system', content: 'The default prompt.' })

    await call('updateSession', id, { model: { providerId: 'local', model: 'other' }, systemPrompt: 'Talk like a pirate.', temperature: 0.2, maxTokens: 77 })
    const after = await ask(id, 'second')
    expect(after.request).toMatchObject({ model: 'other', temperature: 0.2, max_tokens: 77 })
    expect((after.request['messages'] as unknown[])[0]).toEqual({ role: 'system', content: 'Talk like a pirate.' })

    // null puts each back to the default.
    await call('updateSession', id, { model: null, systemPrompt: null, temperature: null, maxTokens: null })
    const reset = await ask(id, 'third')
    expect(reset.request).toMatchObject({ model: 'large', max_tokens: 300 })
    expect(reset.request).not.toHaveProperty('temperature')
  })

  it('Anthropic shape: model, top-level system, max_tokens; a temperature over 1 is sent as 1', async () => {
    await start()
    const id = await newChat()
    await call('updateSession', id, { model: { providerId: 'claude', model: 'claude-x' }, systemPrompt: 'Be terse.', temperature: 1.5, maxTokens: 64 })
    const { complete, request } = await ask(id, 'hello')
    expect(complete.error).toBeUndefined()
    // The last request that isn't the title's (that one goes to the default provider, and may come after).
    expect(scripted().requests.filter((r) => r.method === 'POST' && !isTitle(r)).at(-1)?.path).toBe('/v1/messages')
    expect(request).toMatchObject({ model: 'claude-x', system: 'Be terse.', temperature: 1, max_tokens: 64 })
    await call('updateSession', id, { temperature: 0.3 })
    expect((await ask(id, 'again')).request).toMatchObject({ temperature: 0.3 })
  })

  it('a chat whose provider was removed falls back to the default model', async () => {
    await start()
    const id = await newChat()
    await call('updateSession', id, { model: { providerId: 'claude', model: 'claude-x' } })
    const settings = (core as ParleyCore).settings.get()
    await call('updateSettings', { providers: settings.providers.filter((p) => p.id !== 'claude') })
    const { request } = await ask(id, 'hello')
    expect(scripted().requests.at(-1)?.path).toBe('/v1/chat/completions')
    expect(request).toMatchObject({ model: 'large' })
  })

  it('a prompt queued behind a running one runs with the options in force when it starts', async () => {
    await start()
    const id = await newChat()
    scripted().script({ text: 'slow', gate: 'first' })
    const first = call('run', { sessionId: id, prompt: 'one' })
    await scripted().waitForGate('first')
    const second = call('run', { sessionId: id, prompt: 'two' })
    await call('updateSession', id, { temperature: 1.1 })
    scripted().release('first')
    await Promise.all([first, second])
    const bodies = scripted().requests.filter((r) => r.method === 'POST' && r.api === 'openai' && !isTitle(r)).map((r) => r.body as Record<string, unknown>)
    expect(bodies.map((b) => b['temperature'])).toEqual([undefined, 1.1])
  })
})

describe('updateSession: bad input gets a typed error and changes nothing', () => {
  it.each([
    ['a temperature over 2', { temperature: 2.5 }],
    ['a negative temperature', { temperature: -0.1 }],
    ['max tokens of 0', { maxTokens: 0 }],
    ['fractional max tokens', { maxTokens: 1.5 }],
    ['max tokens over the bound', { maxTokens: 2_000_000 }],
    ['an empty model', { model: { providerId: 'local', model: ' ' } }],
    ['an unknown field', { topP: 0.5 }],
    ['a provider that is not configured', { model: { providerId: 'nowhere', model: 'm' } }]
  ])('refuses %s', async (_, patch) => {
    await start()
    const id = await newChat()
    await call('updateSession', id, { temperature: 0.7 })
    const events: ParleyEvent[] = []
    const off = (core as ParleyCore).broker.subscribe({ since: (core as ParleyCore).broker.lastSeq }, (e) => void events.push(e))
    await expect(call('updateSession', id, patch)).rejects.toMatchObject({ code: 'BadRequest' })
    off()
    expect(events).toEqual([])
    expect((core as ParleyCore).agent.sessions.get(id)?.options).toEqual({ temperature: 0.7 })
  })

  it('refuses a chat that does not exist', async () => {
    await start()
    await expect(call('updateSession', 'no-such-chat', { temperature: 1 })).rejects.toMatchObject({ code: 'SessionMissing' })
  })
})

describe('options and stats are durable', () => {
  it('keeps a chat\'s options across a restart of main, and the next turn uses them', async () => {
    const { dataDir } = await start()
    const id = await newChat()
    const updated = await call('updateSession', id, { model: { providerId: 'local', model: 'other' }, temperature: 0.4 })
    expect(updated).toMatchObject({ id, options: { model: { providerId: 'local', model: 'other' }, temperature: 0.4 } })
    await core?.shutdown()
    core = undefined

    const restarted = await start(dataDir)
    expect(restarted.core.agent.sessions.get(id)?.options).toEqual({ model: { providerId: 'local', model: 'other' }, temperature: 0.4 })
    expect((await ask(id, 'after the restart')).request).toMatchObject({ model: 'other', temperature: 0.4 })
  })

  it('an answer carries its model, the tokens in and out, time to first token and tokens per second, in the log too', async () => {
    await start()
    const id = await newChat()
    scripted().script({ tokens: ['a', 'b', 'c', 'd'], tokenDelayMs: 5, usage: { inputTokens: 21, outputTokens: 4 } })
    const { complete } = await ask(id, 'count')
    const live = core as ParleyCore
    const history = await live.sessionLog.read(id, { afterSeq: live.broker.lastSeq })
    const answer = history.find((m) => m.id === complete.messageId) as Message
    expect(answer).toMatchObject({ model: 'large', providerId: 'local', usage: { inputTokens: 21, outputTokens: 4 } })
    expect(answer.timings?.firstTokenMs).toBeGreaterThanOrEqual(0)
    expect(answer.timings?.tokensPerSecond).toBeGreaterThan(0)
  })

  it('a server that reports no usage gets no token counts and no tokens per second: nothing is estimated', async () => {
    await start()
    const id = await newChat()
    scripted().script({ tokens: ['a', 'b'], tokenDelayMs: 5, usage: 'none' })
    const { complete } = await ask(id, 'quiet')
    const live = core as ParleyCore
    const history = await live.sessionLog.read(id, { afterSeq: live.broker.lastSeq })
    const answer = history.find((m) => m.id === complete.messageId) as Message
    expect(answer.model).toBe('large')
    expect(answer.usage).toBeUndefined()
    expect(answer.timings?.tokensPerSecond).toBeUndefined()
    expect(answer.timings?.firstTokenMs).toBeGreaterThanOrEqual(0)
  })
})
