import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ParleyEvent, Session } from '../../../shared'
import { SessionDirectory } from '../agent/session-directory'
import { EventBroker } from '../events/event-broker'
import { SessionFile } from './session-file'

const newDir = (): string => mkdtempSync(join(tmpdir(), 'parley-sessions-'))
const chat = (id: string, title: string | null = null): Session => ({ id, title, createdAt: 1, updatedAt: 1 })
const onDisk = (dataDir: string): { sessions: Session[]; savedSeq?: number } =>
  JSON.parse(readFileSync(join(dataDir, 'sessions.json'), 'utf8')) as { sessions: Session[]; savedSeq?: number }
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Creates a chat the way the agent does: in the directory, then its event. */
function create(directory: SessionDirectory, broker: EventBroker, id: string): void {
  directory.add(chat(id))
  broker.publish({ type: 'session.created', session: chat(id) })
}

describe('SessionFile', () => {
  it('E3: a sessions.json from before titleSource loads; a fallback title keeps its source across a restart', async () => {
    const dataDir = newDir()
    writeFileSync(join(dataDir, 'sessions.json'), JSON.stringify({ sessions: [{ id: 'old', title: 'Kept as it was', createdAt: 1, updatedAt: 2 }] }))
    const file = new SessionFile(dataDir)
    expect(file.load()).toEqual({ sessions: [{ id: 'old', title: 'Kept as it was', createdAt: 1, updatedAt: 2 }], savedSeq: 0 })

    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const list = file.attach(directory, broker)
    directory.add({ id: 'new', title: null, createdAt: 3, updatedAt: 3 })
    directory.setTitle('new', 'a prompt…', 'fallback')
    broker.publish({ type: 'session.titled', sessionId: 'new', title: 'a prompt…', source: 'fallback' })
    await list.detach()
    expect(new SessionFile(dataDir).load().sessions.find((s) => s.id === 'new')).toMatchObject({ title: 'a prompt…', titleSource: 'fallback' })
  })

  it('issue 13: a flood of chats created one call at a time is one write, not one write and fsync per chat', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const list = file.attach(directory, broker, { delayMs: 60_000, bulkChanges: 10_000 })
    let saved = false
    for (let i = 0; i < 2000; i += 1) {
      create(directory, broker, `c${i}`)
      if (i === 0) void list.saved().then(() => (saved = true))
      await nextMacrotask()
    }
    // Each chat came in its own tick (as calls over the bridge do); none of them wrote the list yet.
    expect(file.writes).toBe(0)
    expect(saved).toBe(false)
    await list.detach()
    expect(file.writes).toBe(1)
    expect(saved).toBe(true)
    const written = onDisk(dataDir)
    expect(written.sessions).toHaveLength(2000)
    expect(written.savedSeq).toBe(broker.lastSeq)
  })

  it('issue 13: the list is written a delay after the changes stop, and `saved` answers once it has them', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const list = file.attach(directory, broker, { delayMs: 5 })
    for (let i = 0; i < 50; i += 1) create(directory, broker, `c${i}`)
    await list.saved()
    expect(onDisk(dataDir).sessions.map((s) => s.id)).toEqual(directory.list().map((s) => s.id))
    expect(file.writes).toBe(1)
    await list.detach()
    expect(file.writes).toBe(1)
  })

  it('issue 13: a chat change is written once `behindEvents` later events came, before the journal\'s bounded outbox can let it go', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const list = file.attach(directory, broker, { delayMs: 60_000, bulkChanges: 1000, behindEvents: 1000 })
    create(directory, broker, 'early')
    for (let i = 0; i < 999; i += 1) {
      broker.publish({ type: 'session.busy', sessionId: 'early', busy: i % 2 === 0 })
      if (i % 100 === 0) await nextMacrotask()
    }
    await nextMacrotask()
    expect(file.writes).toBe(0)
    broker.publish({ type: 'session.busy', sessionId: 'early', busy: true })
    await Promise.resolve()
    expect(file.writes).toBe(1)
    expect(onDisk(dataDir).sessions.map((s) => s.id)).toEqual(['early'])
    await list.detach()
  })

  it('flush writes what waits for the delay now, off the thread, and resolves once it is in the file', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const list = file.attach(directory, broker, { delayMs: 60_000 })
    create(directory, broker, 'imported')
    await nextMacrotask()
    expect(file.writes).toBe(0)
    await list.flush()
    expect(file.writes).toBe(1)
    expect(onDisk(dataDir).sessions.map((s) => s.id)).toEqual(['imported'])
    // Nothing new: nothing written.
    await list.flush()
    expect(file.writes).toBe(1)
    await list.detach()
  })

  it('issue 13: a write waits for the journal (gate): the list is never ahead of it on disk', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    let open = (): void => undefined
    const journalDurable = new Promise<void>((resolve) => (open = resolve))
    const gated: number[] = []
    const list = file.attach(directory, broker, {
      delayMs: 1,
      gate: (seq) => {
        gated.push(seq)
        return journalDurable
      }
    })
    create(directory, broker, 'a')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(gated).toEqual([broker.lastSeq])
    expect(readdirSync(dataDir)).not.toContain('sessions.json')
    open()
    await list.saved()
    expect(onDisk(dataDir).sessions.map((s) => s.id)).toEqual(['a'])
    await list.detach()
  })

  it('issue 13: a write held by the gate never puts back an older list over a newer one (a bulk pass landed first)', async () => {
    const dataDir = newDir()
    const file = new SessionFile(dataDir)
    const directory = new SessionDirectory()
    const broker = new EventBroker()
    let open = (): void => undefined
    const journalDurable = new Promise<void>((resolve) => (open = resolve))
    const list = file.attach(directory, broker, { delayMs: 1, bulkChanges: 100, gate: () => journalDurable })
    create(directory, broker, 'first')
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The delayed write of ['first'] is waiting for the journal; an import-like pass writes at its end, at once.
    for (let i = 0; i < 100; i += 1) create(directory, broker, `bulk${i}`)
    await Promise.resolve()
    expect(onDisk(dataDir).sessions).toHaveLength(101)
    open()
    // The held write ends (detach waits for it) without renaming its older list over the newer one.
    await list.detach()
    expect(onDisk(dataDir).sessions).toHaveLength(101)
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('issue 13: at start, the chat events the journal kept after the file\'s savedSeq are applied, and older ones are not', async () => {
    const dataDir = newDir()
    writeFileSync(
      join(dataDir, 'sessions.json'),
      JSON.stringify({ sessions: [chat('kept', 'Renamed later'), chat('gone')], savedSeq: 5 })
    )
    const broker = new EventBroker()
    const at = 1
    const retained: ParleyEvent[] = [
      { type: 'session.titled', sessionId: 'kept', title: 'An older name', source: 'user', seq: 4, at },
      { type: 'session.created', session: chat('new'), seq: 6, at },
      { type: 'session.titled', sessionId: 'new', title: 'Named', source: 'model', seq: 7, at },
      { type: 'session.deleted', sessionId: 'gone', seq: 8, at },
      { type: 'session.updated', sessionId: 'kept', updatedAt: 1, options: { temperature: 0.5 }, seq: 9, at }
    ]
    broker.restore(retained)
    const directory = new SessionDirectory()
    const list = new SessionFile(dataDir).attach(directory, broker, { delayMs: 60_000 })
    expect(directory.list()).toEqual([
      { ...chat('kept', 'Renamed later'), options: { temperature: 0.5 } },
      { ...chat('new'), title: 'Named', titleSource: 'model' }
    ])
    await list.detach()
    expect(onDisk(dataDir)).toMatchObject({ savedSeq: 9 })
  })

  it('seqs go on after the file\'s savedSeq, so no chat event is ever numbered twice', async () => {
    const dataDir = newDir()
    writeFileSync(join(dataDir, 'sessions.json'), JSON.stringify({ sessions: [], savedSeq: 700 }))
    const broker = new EventBroker()
    const list = new SessionFile(dataDir).attach(new SessionDirectory(), broker)
    expect(broker.publish({ type: 'session.deleted', sessionId: 'x' }).seq).toBe(701)
    await list.detach()
  })

  it('temp files a crash left beside the list are removed at start', () => {
    const dataDir = newDir()
    writeFileSync(join(dataDir, 'sessions.json.123.4.tmp'), '{"sessions":[')
    new SessionFile(dataDir).load()
    expect(readdirSync(dataDir)).toEqual([])
  })
})
