import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { messageText, type Message } from '../../../shared'
import type { ParleyCore } from '../parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { startCoreWith } from '../test-fixtures/core-with-model'

/** Answers `answer to <prompt>`; a prompt in `held` waits until `release()`. */
class EchoModel implements Provider {
  readonly id = 'echo'
  readonly requests: ProviderRequest[] = []
  private gate: Promise<void> | undefined
  release: () => void = () => {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve))
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    if (request.model === 'title') {
      yield { type: 'text', text: 'title' }
      yield { type: 'finish', reason: 'end_turn' }
      return
    }
    this.requests.push(request)
    await this.gate
    yield { type: 'text', text: `answer to ${request.messages.at(-1)?.content ?? ''}` }
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

async function start(model: EchoModel, dataDir?: string): Promise<ParleyCore> {
  const core = await startCoreWith(model, dataDir)
  cores.push(core)
  return core
}

const sent = (request: ProviderRequest | undefined) => request?.messages.map((m) => `${m.role}:${m.content}`)
const texts = (messages: Message[]) => messages.map((m) => `${m.role}:${messageText(m)}`)

async function branch(core: ParleyCore, sessionId: string): Promise<Message[]> {
  return core.sessionLog.read(sessionId, { afterSeq: core.broker.lastSeq })
}

/** A chat of two turns: A, answer to A, B, answer to B. */
async function twoTurns(core: ParleyCore): Promise<{ sessionId: string; a: Message; b: Message }> {
  const session = core.agent.createSession({ title: 'edits' })
  await core.agent.runToCompletion({ sessionId: session.id, prompt: 'A' })
  await core.agent.runToCompletion({ sessionId: session.id, prompt: 'B' })
  const [a, , b] = await branch(core, session.id)
  if (!a || !b) throw new Error('the chat has no two prompts')
  return { sessionId: session.id, a, b }
}

describe('Edit and branch switching (H3)', () => {
  it('H3: editing a prompt adds a new prompt beside it, under the same parent; the branch moves to it, and the old one stays', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, b } = await twoTurns(core)

    const complete = await core.agent.runToCompletion({ sessionId, prompt: "B'", editOf: b.id })
    expect(complete.text).toBe("answer to B'")
    expect(sent(model.requests.at(-1))).toEqual(['user:A', 'assistant:answer to A', "user:B'"])

    const current = await branch(core, sessionId)
    expect(texts(current)).toEqual(['user:A', 'assistant:answer to A', "user:B'", "assistant:answer to B'"])
    // Siblings: the edited prompt names the old prompt's parent, and the old prompt is still there with its answer.
    expect(current[2]?.parentId).toBe(b.parentId)
    expect(texts(await core.sessionLog.read(sessionId, { afterSeq: core.broker.lastSeq, from: core.agent.switchBranch(sessionId, b.id) }))).toEqual(
      ['user:A', 'assistant:answer to A', 'user:B', 'assistant:answer to B']
    )
  })

  it('H3: editing the first prompt starts a branch of its own: the model sees only the new prompt', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a } = await twoTurns(core)

    await core.agent.runToCompletion({ sessionId, prompt: "A'", editOf: a.id })
    expect(sent(model.requests.at(-1))).toEqual(["user:A'"])
    const current = await branch(core, sessionId)
    expect(texts(current)).toEqual(["user:A'", "assistant:answer to A'"])
    expect(current[0]?.parentId).toBeNull()
  })

  it('H3: switching branches changes what later turns see, and continues to the newest message under the choice', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a, b } = await twoTurns(core)
    await core.agent.runToCompletion({ sessionId, prompt: "B'", editOf: b.id })

    // Switching to the first prompt follows its newest child at each fork: the edited branch.
    const [, , editedPrompt, editedAnswer] = await branch(core, sessionId)
    expect(core.agent.switchBranch(sessionId, a.id)).toBe(editedAnswer?.id)

    // Back to the old prompt: its answer is the leaf, and the next turn continues from there.
    const events: string[] = []
    core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
      if (event.type === 'session.branch') events.push(`${event.sessionId}:${event.leafId}`)
    })
    const leaf = core.agent.switchBranch(sessionId, b.id)
    expect(events).toEqual([`${sessionId}:${leaf}`])
    await core.agent.runToCompletion({ sessionId, prompt: 'C' })
    expect(sent(model.requests.at(-1))).toEqual(['user:A', 'assistant:answer to A', 'user:B', 'assistant:answer to B', 'user:C'])
    expect(editedPrompt && core.sessionLog.place(editedPrompt.id)?.parentId).toBe(b.parentId)
  })

  it('H3: a switch is refused while the chat is answering, and for a message that is not in the chat', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a } = await twoTurns(core)
    const other = core.agent.createSession({ title: 'other' })

    expect(() => core.agent.switchBranch(other.id, a.id)).toThrow(expect.objectContaining({ code: 'MessageMissing' }))
    expect(() => core.agent.switchBranch(sessionId, 'no-such-message')).toThrow(expect.objectContaining({ code: 'MessageMissing' }))
    expect(() => core.agent.enqueue({ sessionId: other.id, prompt: 'x', editOf: a.id })).toThrow(
      expect.objectContaining({ code: 'MessageMissing' })
    )

    // B edited: B is on another branch now.
    const b = (await branch(core, sessionId))[2]
    await core.agent.runToCompletion({ sessionId, prompt: "B'", editOf: b?.id ?? '' })
    model.hold()
    const running = core.agent.runToCompletion({ sessionId, prompt: 'C' })
    await expect.poll(() => model.requests.length).toBe(4)
    expect(() => core.agent.switchBranch(sessionId, b?.id ?? '')).toThrow(expect.objectContaining({ code: 'SessionBusy' }))
    // A message on the branch being answered: nothing to change, so nothing is refused (a search result opened in it).
    const leaf = core.sessionLog.leaf(sessionId)
    expect(core.agent.switchBranch(sessionId, a.id)).toBe(leaf)
    model.release()
    await running
    expect(core.agent.switchBranch(sessionId, b?.id ?? '')).toBeTypeOf('string')
  })

  it('H3: a switch to a message already on the current branch changes nothing: the branch below it stays as chosen', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a, b } = await twoTurns(core)
    await core.agent.runToCompletion({ sessionId, prompt: "B'", editOf: b.id })
    // Back to the old B: below A, the current branch is now the older one, though B' is A's newest descendant.
    const old = core.agent.switchBranch(sessionId, b.id)
    const events: string[] = []
    core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
      events.push(event.type)
    })
    expect(core.agent.switchBranch(sessionId, a.id)).toBe(old)
    expect(core.agent.switchBranch(sessionId, b.id)).toBe(old)
    expect(core.agent.switchBranch(sessionId, old)).toBe(old)
    expect(events).toEqual([])
    expect(texts(await branch(core, sessionId))).toEqual(['user:A', 'assistant:answer to A', 'user:B', 'assistant:answer to B'])
  })

  it('H3, G1: an edit that waited in the queue across a restart still goes beside the prompt it edits', async () => {
    const model = new EchoModel()
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-edit-restart-'))
    const first = await start(model, dataDir)
    const { sessionId, b } = await twoTurns(first)
    model.hold()
    void first.agent.runToCompletion({ sessionId, prompt: 'C' }).catch(() => undefined)
    await expect.poll(() => model.requests.length).toBe(3)
    first.agent.enqueue({ sessionId, runId: 'edit-b', prompt: "B'", editOf: b.id })
    await first.shutdown()
    cores.splice(cores.indexOf(first), 1)

    const again = new EchoModel()
    const second = await start(again, dataDir)
    await expect.poll(() => again.requests.length).toBe(1)
    expect(sent(again.requests[0])).toEqual(['user:A', 'assistant:answer to A', "user:B'"])
    await second.agent.idle()
    expect(texts(await branch(second, sessionId))).toEqual(['user:A', 'assistant:answer to A', "user:B'", "assistant:answer to B'"])
  })
})

describe('Deleting a message and the branch below it', () => {
  it('deletes the message and everything below it, in the log and for later turns; the chat moves to the sibling left', async () => {
    const model = new EchoModel()
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-delete-'))
    const core = await start(model, dataDir)
    const { sessionId, b } = await twoTurns(core)
    await core.agent.runToCompletion({ sessionId, prompt: "B'", editOf: b.id })
    const [, , edited, editedAnswer] = await branch(core, sessionId)
    await core.agent.runToCompletion({ sessionId, prompt: 'C' })

    const events: unknown[] = []
    core.broker.subscribe({ since: core.broker.lastSeq }, (event) => {
      if (event.type === 'messages.deleted') events.push({ ids: event.messageIds, leafId: event.leafId })
    })
    // The edited prompt goes with its answer and the turn after it; the old prompt B's branch is what is left there.
    const leaf = core.agent.deleteMessages(sessionId, edited?.id ?? '')
    const [, , , answerToB] = await branch(core, sessionId)
    expect(leaf).toBe(answerToB?.id)
    expect(events).toEqual([{ ids: [edited?.id, editedAnswer?.id, expect.any(String), expect.any(String)], leafId: leaf }])
    expect(texts(await branch(core, sessionId))).toEqual(['user:A', 'assistant:answer to A', 'user:B', 'assistant:answer to B'])
    expect(core.sessionLog.place(edited?.id ?? '')).toBeUndefined()
    await core.agent.runToCompletion({ sessionId, prompt: 'D' })
    expect(sent(model.requests.at(-1))).toEqual(['user:A', 'assistant:answer to A', 'user:B', 'assistant:answer to B', 'user:D'])

    // After a restart the deleted messages are still gone.
    await core.shutdown()
    cores.splice(cores.indexOf(core), 1)
    const again = await start(new EchoModel(), dataDir)
    expect(texts(await branch(again, sessionId))).toEqual([
      'user:A',
      'assistant:answer to A',
      'user:B',
      'assistant:answer to B',
      'user:D',
      'assistant:answer to D'
    ])
    expect(again.sessionLog.place(editedAnswer?.id ?? '')).toBeUndefined()
  })

  it('deleting an answer with no sibling leaves its prompt as the leaf; deleting the first prompt empties the chat', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a, b } = await twoTurns(core)
    const [, , , answerToB] = await branch(core, sessionId)
    expect(core.agent.deleteMessages(sessionId, answerToB?.id ?? '')).toBe(b.id)
    expect(texts(await branch(core, sessionId))).toEqual(['user:A', 'assistant:answer to A', 'user:B'])
    expect(core.agent.deleteMessages(sessionId, a.id)).toBeNull()
    expect(await branch(core, sessionId)).toEqual([])
    await core.agent.runToCompletion({ sessionId, prompt: 'again' })
    expect(sent(model.requests.at(-1))).toEqual(['user:again'])
  })

  it('is refused while the chat is answering, and for a message that is not in the chat', async () => {
    const model = new EchoModel()
    const core = await start(model)
    const { sessionId, a } = await twoTurns(core)
    const other = core.agent.createSession({ title: 'other' })
    expect(() => core.agent.deleteMessages(other.id, a.id)).toThrow(expect.objectContaining({ code: 'MessageMissing' }))
    model.hold()
    const running = core.agent.runToCompletion({ sessionId, prompt: 'C' })
    await expect.poll(() => model.requests.length).toBe(3)
    expect(() => core.agent.deleteMessages(sessionId, a.id)).toThrow(expect.objectContaining({ code: 'SessionBusy' }))
    model.release()
    await running
    expect(texts(await branch(core, sessionId))).toHaveLength(6)
  })
})
