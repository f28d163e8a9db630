import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { settingsSchema, type Message } from '../../../shared'
import { estimateTokens } from '../agent/request-builder'
import { createParleyCore, type ParleyCore } from '../parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { MemorySecretStore } from '../settings/secret-store'

/** Answers `answer to <prompt>`, records every chat request, and can hold a prompt's answer until it is released. */
class RecordingModel implements Provider {
  readonly id = 'recording'
  readonly requests: ProviderRequest[] = []
  private readonly gates = new Map<string, { entered: () => void; release: Promise<void> }>()

  /** The answer to `prompt` waits until the returned function is called; `entered` resolves when it is asked. */
  hold(prompt: string): { entered: Promise<void>; release: () => void } {
    let release!: () => void
    let entered!: () => void
    const enteredPromise = new Promise<void>((resolve) => (entered = resolve))
    this.gates.set(prompt, { entered, release: new Promise<void>((resolve) => (release = resolve)) })
    return { entered: enteredPromise, release }
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield { type: 'text', text: 'title' }
      yield { type: 'finish', reason: 'end_turn' }
      return
    }
    this.requests.push(request)
    const prompt = request.messages.at(-1)?.content ?? ''
    const gate = this.gates.get(prompt)
    if (gate) {
      gate.entered()
      await gate.release
    }
    yield { type: 'text', text: `answer to ${prompt}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

const cores: ParleyCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
})

async function startCore(dataDir: string, model: RecordingModel): Promise<ParleyCore> {
  const core = await createParleyCore({
    dataDir,
    secrets: new MemorySecretStore(),
    providerFactory: () => model,
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'recording', kind: 'openai', name: 'Recording', baseUrl: 'http://127.0.0.1:9/v1' }],
      models: { large: { providerId: 'recording', model: 'chat' }, small: { providerId: 'recording', model: 'title' } }
    })
  })
  cores.push(core)
  return core
}

const newDataDir = () => mkdtempSync(join(tmpdir(), 'parley-context-'))
const contents = (request: ProviderRequest | undefined) => request?.messages.map((m) => `${m.role}:${m.content}`)

/** Puts `count` finished messages into a session's history the way main does: as published events. */
function seedChat(core: ParleyCore, sessionId: string, count: number, text: string): void {
  for (let i = 0; i < count; i++) {
    const message: Message = {
      id: `${sessionId}-seed-${i}`,
      sessionId,
      runId: `seed-run-${Math.floor(i / 2)}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      parts: [{ type: 'text', text }],
      status: 'finished',
      createdAt: i
    }
    core.broker.publish({ type: 'message.created', message })
  }
}

describe('a turn reads its context from main\'s session log', () => {
  it('H1: with no window ever attached, and after a restart, a turn\'s request carries the whole conversation', async () => {
    const dataDir = newDataDir()
    const first = new RecordingModel()
    const core = await startCore(dataDir, first)
    const session = core.agent.createSession({ title: 'kept' })
    for (const prompt of ['one', 'two', 'three']) await core.service.run({ sessionId: session.id, prompt })
    expect(contents(first.requests.at(-1))).toEqual(['user:one', 'assistant:answer to one', 'user:two', 'assistant:answer to two', 'user:three'])
    await core.shutdown()
    cores.splice(cores.indexOf(core), 1)

    const second = new RecordingModel()
    const again = await startCore(dataDir, second)
    await again.service.run({ sessionId: session.id, prompt: 'four' })
    expect(contents(second.requests.at(-1))).toEqual([
      'user:one',
      'assistant:answer to one',
      'user:two',
      'assistant:answer to two',
      'user:three',
      'assistant:answer to three',
      'user:four'
    ])
  })

  it('H4: the messages a turn reads are bounded by the context, not the chat (10 and 10,000 messages)', async () => {
    const model = new RecordingModel()
    const core = await startCore(newDataDir(), model)
    const text = 'm'.repeat(100)
    const readFor = async (count: number): Promise<number> => {
      const session = core.agent.createSession({ title: `chat of ${count}` })
      seedChat(core, session.id, count, text)
      const before = core.sessionLog.messagesRead
      await core.service.run({ sessionId: session.id, prompt: 'next' })
      return core.sessionLog.messagesRead - before
    }
    const small = await readFor(10)
    const large = await readFor(10_000)
    expect(small).toBe(11)
    // The default model: 8,192 tokens of context, 2,048 of them for the answer.
    const fit = Math.ceil((8192 - 2048) / estimateTokens(text))
    expect(large).toBeLessThanOrEqual(fit + 3)
    expect(large).toBe(await readFor(2_000))
    expect(model.requests.at(-1)?.messages.at(-1)?.content).toBe('next')
  })

  it('B2: a queued turn sees the turn before it, read from the log', async () => {
    const model = new RecordingModel()
    const core = await startCore(newDataDir(), model)
    const session = core.agent.createSession({ title: 'queue' })
    const held = model.hold('main')
    const main = core.service.run({ sessionId: session.id, runId: 'run-main', prompt: 'main' })
    await held.entered
    const follow = core.service.run({ sessionId: session.id, runId: 'run-follow', prompt: 'follow' })
    held.release()
    await Promise.all([main, follow])
    expect(contents(model.requests.at(-1))).toEqual(['user:main', 'assistant:answer to main', 'user:follow'])
  })
})
