import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { archiveFormat, type ArchivedChat, type ParleyEvent } from '../../../shared'
import { untitledTitledAtStart } from '../agent/session-agent'
import type { ParleyCore } from '../parley-core'
import { cutAt, journalLines, listen, newDataDir, startCore, untilComplete, type Heard } from './test-fixtures/lifetimes'

// A chat's automatic title (E1, E2) is asked for once its first answer is done. Main killed between that answer and
// the title, or while the title is asked for, or during the answer itself, must still leave the chat titled after a
// restart: asked for again, once, and never over a name the user gave it.

const cores: ParleyCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.shutdown()
})

async function start(dataDir: string, startsNoTurn = false): Promise<ParleyCore> {
  const core = await startCore(dataDir, {}, { startsNoTurn })
  cores.push(core)
  return core
}

/** A first lifetime: a chat with no title, its first prompt answered (and `two` queued behind it), then titled. */
async function firstLifetime(runs: readonly string[] = ['r1', 'r2']) {
  const dataDir = newDataDir()
  const core = await start(dataDir)
  const heard = listen(core, dataDir)
  const session = core.agent.createSession()
  runs.forEach((runId, i) => core.agent.enqueue({ sessionId: session.id, runId, prompt: ['one', 'two'][i] ?? runId }))
  await untilComplete(heard, runs)
  await core.agent.idle()
  expect(await titledOnceHeard(heard)).toEqual([{ sessionId: session.id, title: 'title', source: 'model' }])
  return { dataDir, sessionId: session.id }
}

/** Events reach a client once the journal has them on disk (`gatedListener`): a title made is heard a little later. */
async function titledOnceHeard(heard: readonly Heard[]) {
  const deadline = Date.now() + 5000
  while (titledIn(heard).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  // Time for a second one to arrive, were there one.
  await new Promise((resolve) => setTimeout(resolve, 100))
  return titledIn(heard)
}

const titledIn = (heard: readonly Heard[]) =>
  heard.flatMap(({ event }) => (event.type === 'session.titled' ? [{ sessionId: event.sessionId, title: event.title, source: event.source }] : []))

/** The offset just before the first journal line whose event matches: main killed before it was written. */
function before(dataDir: string, match: (event: ParleyEvent) => boolean): number {
  const lines = journalLines(dataDir)
  const at = lines.findIndex(({ record }) => record['t'] === 'event' && match(record['event'] as ParleyEvent))
  if (at < 0) throw new Error('no such journal line')
  return at === 0 ? 0 : (lines[at - 1]?.end ?? 0)
}

/**
 * Main killed at `bytes`. The chat list on disk (`sessions.json`) is written after the journal, so it is left as
 * behind as it can be: absent; the chats come back from the journal's events.
 */
async function restartAt(dataDir: string, bytes: number, runs: readonly string[] = ['r1', 'r2']) {
  const cut = cutAt(dataDir, bytes)
  rmSync(join(cut, 'sessions.json'), { force: true })
  const core = await start(cut)
  const heard = listen(core, cut)
  await untilComplete(heard, runs)
  await core.agent.idle()
  return { cut, core, heard }
}

describe('a chat killed before its title still gets one, once (E1, E2)', () => {
  it('E1: killed after its answers, before the title came back: the title is asked for after the restart, once', async () => {
    const first = await firstLifetime()
    const bytes = before(first.dataDir, (event) => event.type === 'session.titled')
    const { cut, core, heard } = await restartAt(first.dataDir, bytes)
    expect(await titledOnceHeard(heard)).toEqual([{ sessionId: first.sessionId, title: 'title', source: 'model' }])
    expect(core.agent.sessions.get(first.sessionId)?.title).toBe('title')

    // Never twice: a second restart, with the title made, asks for none.
    for (const running of cores.splice(0)) await running.shutdown()
    const again = await start(cut)
    const heardAgain = listen(again, cut, heard.at(-1)?.event.seq ?? 0)
    await again.agent.idle()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(titledIn(heardAgain)).toEqual([])
    expect(again.agent.sessions.get(first.sessionId)?.title).toBe('title')
  })

  it('E1, G2: killed during its only answer: the answer is interrupted, and the chat is titled once', async () => {
    const first = await firstLifetime(['r1'])
    const bytes = before(first.dataDir, (event) => event.type === 'message.created' && event.message.role === 'assistant')
    const { heard } = await restartAt(first.dataDir, bytes, ['r1'])
    expect(heard.some(({ event }) => event.type === 'run.complete' && event.complete.runId === 'r1' && event.complete.error === 'interrupted')).toBe(true)
    expect(await titledOnceHeard(heard)).toEqual([{ sessionId: first.sessionId, title: 'title', source: 'model' }])
  })

  it('E1: a read-only command (`parley chats`) run on the folder asks for no title; the next start does', async () => {
    const first = await firstLifetime()
    const cut = cutAt(first.dataDir, before(first.dataDir, (event) => event.type === 'session.titled'))
    rmSync(join(cut, 'sessions.json'), { force: true })
    const reader = await start(cut, true)
    const heard = listen(reader, cut)
    await reader.agent.idle()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(titledIn(heard)).toEqual([])
    expect(reader.agent.sessions.get(first.sessionId)?.title).toBeNull()
    for (const running of cores.splice(0)) await running.shutdown()

    const next = await start(cut)
    expect(await titledOnceHeard(listen(next, cut))).toEqual([{ sessionId: first.sessionId, title: 'title', source: 'model' }])
  })

  it('E1: a chat the user renamed after the restart, before its title came back, keeps the name', async () => {
    const first = await firstLifetime()
    const bytes = before(first.dataDir, (event) => event.type === 'session.titled')
    const cut = cutAt(first.dataDir, bytes)
    rmSync(join(cut, 'sessions.json'), { force: true })
    const core = await start(cut)
    core.agent.renameSession(first.sessionId, 'Mine')
    await core.agent.idle()
    expect(core.agent.sessions.get(first.sessionId)).toMatchObject({ title: 'Mine', titleSource: 'user' })
  })

  it('E1, E2: at a start only the most recently used untitled chats are titled; others (imported untitled) wait for their next prompt', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    const chat = (index: number): ArchivedChat => ({
      id: `imported-${index}`,
      title: null,
      createdAt: 1_000 + index,
      updatedAt: 1_000 + index,
      leafId: `imported-${index}-a`,
      messages: [
        { id: `imported-${index}-q`, parentId: null, role: 'user', parts: [{ type: 'text', text: `question ${index}` }], createdAt: 1_000 + index },
        { id: `imported-${index}-a`, parentId: `imported-${index}-q`, role: 'assistant', parts: [{ type: 'text', text: 'answer' }], createdAt: 1_001 + index }
      ]
    })
    const count = untitledTitledAtStart + 4
    await first.agent.importChats({ format: archiveFormat, version: 1, exportedAt: 0, chats: Array.from({ length: count }, (_, i) => chat(i)) })
    await first.agent.idle()
    // Importing asks for no title.
    expect(first.agent.sessions.list().filter((session) => session.title === null)).toHaveLength(count)
    for (const running of cores.splice(0)) await running.shutdown()

    const next = await start(dataDir)
    const heard = listen(next, dataDir)
    await titledOnceHeard(heard)
    await next.agent.idle()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const titled = titledIn(heard).map(({ sessionId }) => sessionId)
    const newest = Array.from({ length: untitledTitledAtStart }, (_, i) => `imported-${count - 1 - i}`)
    expect(titled.sort()).toEqual(newest.sort())
  })
})
