import { afterEach, describe, expect, it } from 'vitest'
import { messageText, type RunComplete } from '../../../shared'
import type { ParleyCore } from '../parley-core'
import { ProviderError } from '../providers/errors'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { startCoreWith } from '../test-fixtures/core-with-model'

/** Answers `answer to <prompt>`, except that the prompts in `failing` fail once before their first token (a 500). */
class FlakyModel implements Provider {
  readonly id = 'flaky'
  readonly requests: ProviderRequest[] = []
  constructor(private readonly failing: Set<string>) {}

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield { type: 'text', text: 'title' }
      yield { type: 'finish', reason: 'end_turn' }
      return
    }
    this.requests.push(request)
    const prompt = request.messages.at(-1)?.content ?? ''
    if (this.failing.delete(prompt)) throw new ProviderError({ kind: 'server', status: 500, message: 'scripted failure' })
    yield { type: 'text', text: `answer to ${prompt}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}

let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  core = undefined
})

async function start(model: FlakyModel): Promise<ParleyCore> {
  core = await startCoreWith(model)
  return core
}

const contents = (request: ProviderRequest | undefined) => request?.messages.map((m) => `${m.role}:${m.content}`)

describe('Retry runs the same user message again, as a new answer beside the old one (H2, H3)', () => {
  it('H3: Retry sends the prompt once, writes no second user message, and later turns see the new answer, not the failed one', async () => {
    const model = new FlakyModel(new Set(['P']))
    const c = await start(model)
    const session = c.agent.createSession({ title: 'retry' })
    const failed: RunComplete = await c.agent.runToCompletion({ sessionId: session.id, runId: 'r1', prompt: 'first' }).then(() =>
      c.agent.runToCompletion({ sessionId: session.id, runId: 'r2', prompt: 'P' })
    )
    expect(failed.error).toMatch(/500/)
    const prompt = (await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })).find((m) => m.role === 'user' && m.runId === 'r2')
    if (!prompt) throw new Error('no user message for r2')

    const retried = await c.agent.runToCompletion({ sessionId: session.id, runId: 'r3', prompt: 'P', retryOf: prompt.id })
    expect(retried).toMatchObject({ text: 'answer to P', cancelled: false })
    expect(retried.error).toBeUndefined()
    // Sent once: not "P\n\nP", not a second user message.
    expect(contents(model.requests.at(-1))).toEqual(['user:first', 'assistant:answer to first', 'user:P'])

    await c.agent.runToCompletion({ sessionId: session.id, runId: 'r4', prompt: 'Q' })
    expect(contents(model.requests.at(-1))).toEqual([
      'user:first',
      'assistant:answer to first',
      'user:P',
      'assistant:answer to P',
      'user:Q'
    ])
    // The log's current branch: one P, its new answer (the failed one is a sibling off the branch), then Q's turn.
    const branch = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    expect(branch.map((m) => `${m.role}:${messageText(m)}`)).toEqual([
      'user:first',
      'assistant:answer to first',
      'user:P',
      'assistant:answer to P',
      'user:Q',
      'assistant:answer to Q'
    ])
    expect(branch.find((m) => messageText(m) === 'answer to P')?.parentId).toBe(prompt.id)
  })

  it('H2: a failed prompt that is not retried never reaches later requests', async () => {
    const model = new FlakyModel(new Set(['too long']))
    const c = await start(model)
    const session = c.agent.createSession({ title: 'h2' })
    await c.agent.runToCompletion({ sessionId: session.id, runId: 'r1', prompt: 'too long' })
    await c.agent.runToCompletion({ sessionId: session.id, runId: 'r2', prompt: 'next' })
    expect(contents(model.requests.at(-1))).toEqual(['user:next'])
  })

  it('H3: a Retry of a prompt that is not in the chat is refused with MessageMissing, and writes nothing', async () => {
    const c = await start(new FlakyModel(new Set()))
    const session = c.agent.createSession({ title: 'gone' })
    const other = c.agent.createSession({ title: 'other' })
    await c.agent.runToCompletion({ sessionId: other.id, runId: 'o1', prompt: 'elsewhere' })
    const [otherPrompt] = await c.sessionLog.read(other.id, { afterSeq: c.broker.lastSeq })
    for (const retryOf of ['no-such-message', otherPrompt?.id ?? '']) {
      expect(() => c.agent.enqueue({ sessionId: session.id, prompt: 'P', retryOf })).toThrow(
        expect.objectContaining({ code: 'MessageMissing' })
      )
    }
    const branch = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    expect(branch).toEqual([])
  })
})
