import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ArchivedChat, ChatArchive } from '../../../shared'
import { logRestoreFileName } from '../history/log-restore'
import { createParleyCore, type ParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'
import type { Provider } from '../providers/provider'
import { breadChat } from '../test-fixtures/bread-chat'
import { RecordingModel, startCoreWith } from '../test-fixtures/core-with-model'

const cores: ParleyCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
})

async function startCore(dataDir: string, model: Provider = new RecordingModel()): Promise<ParleyCore> {
  const core = await startCoreWith(model, dataDir)
  cores.push(core)
  return core
}

async function stop(core: ParleyCore): Promise<void> {
  cores.splice(cores.indexOf(core), 1)
  await core.shutdown()
}

/** A window took in every event so far: the journal lets them go, so only the log had the messages. */
async function windowAcked(core: ParleyCore): Promise<void> {
  await core.service.ack(core.broker.lastSeq)
}

const text = (value: string) => [{ type: 'text' as const, text: value }]

const bread = breadChat()
const archiveOf = (chats: ArchivedChat[]): ChatArchive => ({ format: 'parley.chats', version: 1, exportedAt: 1, chats })

/** Random bytes over the log's store: at the next start it is moved aside and a new, empty log opened. */
function damageLog(dataDir: string): void {
  writeFileSync(join(dataDir, 'session-log', 'data.mdb'), Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 131 + 7) % 256)))
}

describe("a window's copy back into main's replaced log", () => {
  it('is asked for after the log was damaged, even across a restart, and puts back every message, its tree and branch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-restore-'))
    const first = await startCore(dataDir)
    await first.service.importChats(archiveOf([bread]))
    expect((await first.service.historyState()).logRestoreWanted).toBeUndefined()
    await windowAcked(first)
    await stop(first)
    damageLog(dataDir)

    // The damaged log is set aside; main has the chat (sessions.json) but none of its messages, and asks for them.
    const damaged = await startCore(dataDir)
    expect(readdirSync(dataDir).some((name) => name.startsWith('session-log.corrupt-'))).toBe(true)
    expect(damaged.sessionLog.place('u1')).toBeUndefined()
    expect((await damaged.service.historyState()).logRestoreWanted).toBe(true)
    await stop(damaged)

    // No window came before this restart: main still asks.
    const model = new RecordingModel()
    const core = await startCore(dataDir, model)
    expect((await core.service.historyState()).logRestoreWanted).toBe(true)
    const lost: ArchivedChat = { id: 'lost', title: 'Only the window had it', createdAt: 5, updatedAt: 6, leafId: 'l1', messages: [{ id: 'l1', parentId: null, role: 'user', parts: text('hello'), createdAt: 5 }] }
    expect(await core.service.restoreLog({ chats: [bread, lost] })).toEqual({ imported: 1, skipped: 1, messages: 7 })
    expect(core.sessionLog.leaf('bread')).toBe('a2b')
    expect(core.sessionLog.place('u2b')).toMatchObject({ sessionId: 'bread', parentId: 'a1' })
    expect(core.agent.sessions.get('lost')).toMatchObject({ title: 'Only the window had it' })
    // Sent twice (a window cut off and starting again), nothing is put back twice.
    expect(await core.service.restoreLog({ chats: [bread] })).toEqual({ imported: 0, skipped: 1, messages: 0 })
    await core.service.finishLogRestore()
    expect((await core.service.historyState()).logRestoreWanted).toBeUndefined()
    expect(existsSync(join(dataDir, logRestoreFileName))).toBe(false)

    // The next turn reads the chat from main's log as it was before the damage (H1).
    const done = await core.service.run({ sessionId: 'bread', runId: 'after-restore', prompt: 'And in winter?' })
    expect(done.error).toBeUndefined()
    expect(model.requests.at(-1)?.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
      'user:Is my starter dead?',
      'assistant:It is hungry.',
      'user:How often, warm?',
      'assistant:Twice a day.',
      'user:And in winter?'
    ])
    // Once done, a copy sent again does nothing.
    expect(await core.service.restoreLog({ chats: [lost] })).toEqual({ imported: 0, skipped: 1, messages: 0 })
  })

  it("leaves main's own alone: messages it has, a branch it still has, and messages whose parent is in another chat", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-restore-'))
    const first = await startCore(dataDir)
    await first.service.importChats(archiveOf([bread]))
    await windowAcked(first)
    await stop(first)
    damageLog(dataDir)
    const core = await startCore(dataDir)
    // Since the damage: a new chat with a turn, in main only.
    await core.service.createSession({ title: 'Soup' }).then((soup) => core.service.run({ sessionId: soup.id, runId: 'soup-1', prompt: 'Salt?' }))
    const soup = core.agent.sessions.list().find((session) => session.title === 'Soup')
    if (!soup) throw new Error('no soup')
    const soupLeaf = core.sessionLog.leaf(soup.id)
    const soupPrompt = core.sessionLog.place(soupLeaf ?? '')?.parentId
    if (!soupPrompt) throw new Error('no prompt under the soup answer')
    // The window's copy of Soup shows another branch (its prompt alone), and a message hangs under Bread's first prompt.
    const windowSoup: ArchivedChat = {
      id: soup.id,
      title: 'Soup',
      createdAt: 1,
      updatedAt: 2,
      leafId: soupPrompt,
      messages: [{ id: soupPrompt, parentId: null, role: 'user', parts: text('Salt?'), createdAt: 1 }]
    }
    const stray: ArchivedChat = { ...bread, id: 'stray', title: 'Stray', leafId: 's1', messages: [{ id: 's1', parentId: 'u1', role: 'assistant', parts: text('x'), createdAt: 1 }] }
    expect(await core.service.restoreLog({ chats: [bread, windowSoup, stray] })).toEqual({ imported: 1, skipped: 2, messages: 6 })
    // u1 is Bread's: s1 (whose parent it names) is not put under another chat.
    expect(core.sessionLog.place('s1')).toBeUndefined()
    expect(core.sessionLog.leaf(soup.id)).toBe(soupLeaf)
    expect(readFileSync(join(dataDir, logRestoreFileName), 'utf8')).toContain('session-log.corrupt-')
  })

  it("keeps every file while it waits: the replaced log can't say which its messages use", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-restore-'))
    const withSweep = async (): Promise<ParleyCore> => {
      const core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), attachmentSweepAgeMs: 0 })
      cores.push(core)
      return core
    }
    const first = await withSweep()
    const file = (await first.service.putAttachment({ name: 'note.txt', mimeType: 'text/plain', dataBase64: Buffer.from('kept').toString('base64') })).ref
    await windowAcked(first)
    await stop(first)
    damageLog(dataDir)
    // Unused as far as the new log knows, and old enough for the sweep: kept while main waits for the window's copy.
    const waiting = await withSweep()
    expect(waiting.attachments.has(file.id)).toBe(true)
    await waiting.service.finishLogRestore()
    await stop(waiting)
    const after = await withSweep()
    expect(after.attachments.has(file.id)).toBe(false)
  })

  it('does nothing while no restore is wanted (a log never damaged)', async () => {
    const core = await startCore(mkdtempSync(join(tmpdir(), 'parley-restore-')))
    const seq = core.broker.lastSeq
    expect(await core.service.restoreLog({ chats: [bread] })).toEqual({ imported: 0, skipped: 1, messages: 0 })
    expect(core.agent.sessions.has('bread')).toBe(false)
    expect(core.broker.lastSeq).toBe(seq)
  })
})
