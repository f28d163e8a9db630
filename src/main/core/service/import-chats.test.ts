import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyError, type ChatArchive, type ParleyEvent } from '../../../shared'
import type { ParleyCore } from '../parley-core'
import type { ProviderRequest } from '../providers/provider'
import { breadChat } from '../test-fixtures/bread-chat'
import { RecordingModel, startCoreWith } from '../test-fixtures/core-with-model'

const cores: ParleyCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
})

async function startCore(dataDir: string, model = new RecordingModel()): Promise<ParleyCore> {
  const core = await startCoreWith(model, dataDir)
  cores.push(core)
  return core
}

const newDataDir = () => mkdtempSync(join(tmpdir(), 'parley-import-'))
const contents = (request: ProviderRequest | undefined) => request?.messages.map((m) => `${m.role}:${m.content}`)

/** A chat whose second prompt was edited: the edit's branch is shown. And an empty chat. */
function archive(): ChatArchive {
  return {
    format: 'parley.chats',
    version: 1,
    exportedAt: 1,
    chats: [
      breadChat(),
      { id: 'empty', title: null, createdAt: 5, updatedAt: 5, leafId: null, messages: [] }
    ]
  }
}

function refusalOf(call: () => Promise<unknown>): Promise<ParleyError> {
  return call().then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: unknown) => {
      if (!(error instanceof ParleyError)) throw error
      return error
    }
  )
}

describe('importChats', () => {
  it('adds the chats with their whole tree and leaf, and publishes no run', async () => {
    const core = await startCore(newDataDir())
    const events: ParleyEvent[] = []
    core.broker.subscribe({ since: core.broker.lastSeq }, (event) => void events.push(event))
    expect(await core.service.importChats(archive())).toEqual({ imported: 2, skipped: 0, messages: 6 })
    expect(core.agent.sessions.get('bread')).toMatchObject({ title: 'Bread', titleSource: 'user', createdAt: 10, updatedAt: 90 })
    expect(core.sessionLog.leaf('bread')).toBe('a2b')
    expect(core.sessionLog.place('u2b')).toMatchObject({ sessionId: 'bread', parentId: 'a1' })
    const branch = await core.sessionLog.read('bread', { afterSeq: core.broker.lastSeq })
    expect(branch.map((m) => m.id)).toEqual(['u1', 'a1', 'u2b', 'a2b'])
    expect(branch.every((m) => m.status === 'finished')).toBe(true)
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['session.created', 'message.created', 'session.branch']))
    expect((await core.service.status()).sessions).toEqual([])
  })

  it('twice adds nothing: the chats it has are skipped', async () => {
    const core = await startCore(newDataDir())
    await core.service.importChats(archive())
    const seq = core.broker.lastSeq
    expect(await core.service.importChats(archive())).toEqual({ imported: 0, skipped: 2, messages: 0 })
    expect(core.broker.lastSeq).toBe(seq)
  })

  it('refuses a bad file whole, naming each problem with where it is, and changes nothing', async () => {
    const core = await startCore(newDataDir())
    const seq = core.broker.lastSeq
    const bad = archive()
    bad.chats[0]!.leafId = 'nowhere'
    const refusal = await refusalOf(() => core.service.importChats(bad))
    expect(refusal.code).toBe('ArchiveInvalid')
    expect(refusal.message).toContain('- chats[0].leafId: leaf nowhere is not a message of this chat')
    // The second chat was fine: it was not imported either.
    expect(core.agent.sessions.has('empty')).toBe(false)
    expect(core.broker.lastSeq).toBe(seq)
    expect((await refusalOf(() => core.service.importChats('not an archive'))).code).toBe('ArchiveInvalid')
  })

  it('refuses a new chat whose message id is another chat\'s, before adding anything', async () => {
    const core = await startCore(newDataDir())
    await core.service.importChats(archive())
    const seq = core.broker.lastSeq
    const clash = archive()
    clash.chats = [{ ...clash.chats[1]!, id: 'fresh' }, { ...clash.chats[0]!, id: 'bread-copy' }]
    const refusal = await refusalOf(() => core.service.importChats(clash))
    expect(refusal.message).toContain('chats[1].messages[0].id: message id u1 is already in another chat')
    expect(core.agent.sessions.has('fresh')).toBe(false)
    expect(core.broker.lastSeq).toBe(seq)
  })

  it('a new prompt continues the branch shown, with the imported context (H1), also after a restart', async () => {
    const dataDir = newDataDir()
    const model = new RecordingModel()
    const core = await startCore(dataDir, model)
    await core.service.importChats(archive())
    await core.service.run({ sessionId: 'bread', prompt: 'Rye?' })
    const before = ['user:Is my starter dead?', 'assistant:It is hungry.', 'user:How often, warm?', 'assistant:Twice a day.']
    expect(contents(model.requests.at(-1))).toEqual([...before, 'user:Rye?'])
    await core.shutdown()
    cores.splice(cores.indexOf(core), 1)

    const again = await startCore(dataDir, model)
    expect(again.agent.sessions.get('bread')?.title).toBe('Bread')
    expect(await again.service.importChats(archive())).toEqual({ imported: 0, skipped: 2, messages: 0 })
    await again.service.run({ sessionId: 'bread', prompt: 'Spelt?' })
    expect(contents(model.requests.at(-1))).toEqual([...before, 'user:Rye?', 'assistant:answer to Rye?', 'user:Spelt?'])
    // The other branch is still there to switch to.
    expect(await again.service.switchBranch('bread', 'u2')).toBe('a2')
  })
})
