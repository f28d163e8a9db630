import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HistorySnapshot, Message, Session } from '../../../shared'
import { createParleyCore, type ParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'

// historySnapshot against a real core: its session directory and its session log on disk, paged 100 messages at a time.

let core: ParleyCore
let dataDir: string

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-snapshot-'))
  core = await createParleyCore({ dataDir, secrets: new MemorySecretStore(), snapshotPageSize: 100 })
})

afterEach(async () => {
  await core.shutdown()
  rmSync(dataDir, { recursive: true, force: true })
})

const message = (session: Session, n: number): Message => ({
  id: `${session.id}-m${n}`,
  sessionId: session.id,
  runId: `${session.id}-r${Math.floor(n / 2)}`,
  role: n % 2 === 0 ? 'user' : 'assistant',
  parts: [{ type: 'text', text: `message ${n} of ${session.id}` }],
  status: 'finished',
  createdAt: 1_000 + n
})

/** A chat of `count` finished messages, published the way a turn publishes them. */
function chat(session: Session, count: number): Message[] {
  const messages = Array.from({ length: count }, (_, n) => message(session, n))
  for (const m of messages) core.broker.publish({ type: 'message.created', message: m })
  return messages
}

async function allPages(): Promise<HistorySnapshot[]> {
  const pages = [await core.service.historySnapshot({})]
  for (let next = pages[0]?.next; next; next = pages[pages.length - 1]?.next) {
    pages.push(await core.service.historySnapshot({ cursor: next }))
  }
  return pages
}

describe('historySnapshot', () => {
  it('pages 3 sessions and 250 messages 100 at a time: every message of every branch once, sessions on the first page', async () => {
    const sessions = [
      await core.agent.createSession({ title: 'one' }),
      await core.agent.createSession({ title: 'two' }),
      await core.agent.createSession({ title: 'three' })
    ]
    const written = [...chat(sessions[0] as Session, 120), ...chat(sessions[1] as Session, 100), ...chat(sessions[2] as Session, 30)]
    await core.sessionLog.settled()

    const pages = await allPages()
    expect(pages.map((page) => page.messages.length)).toEqual([100, 100, 50])
    expect(pages[0]?.sessions.map((s) => s.id).sort()).toEqual(sessions.map((s) => s.id).sort())
    expect(pages.slice(1).every((page) => page.sessions.length === 0)).toBe(true)
    // One seq for the whole snapshot: the log's, when it began.
    expect(new Set(pages.map((page) => page.seq))).toEqual(new Set([core.sessionLog.appliedSeq]))
    const got = pages.flatMap((page) => page.messages)
    expect(got.map((entry) => entry.message.id).sort()).toEqual(written.map((m) => m.id).sort())
    // createdSeq orders each chat as it was written.
    for (const session of sessions) {
      const ordered = got
        .filter((entry) => entry.message.sessionId === session.id)
        .sort((a, b) => a.createdSeq - b.createdSeq)
        .map((entry) => entry.message)
      expect(ordered).toEqual(written.filter((m) => m.sessionId === session.id))
    }
    // Sessions go in id order (random ids here), so how many are done after each page varies; it only goes up.
    const done = pages.map((page) => page.progress.done)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done[done.length - 1]).toBe(3)
    expect(pages.every((page) => page.progress.total === 3)).toBe(true)
    expect(pages[pages.length - 1]?.next).toBeUndefined()
  })

  it('leaves out what came after the snapshot began, and reads a deleted session as gone', async () => {
    const kept = await core.agent.createSession({ title: 'kept' })
    const dropped = await core.agent.createSession({ title: 'dropped' })
    chat(kept, 150)
    chat(dropped, 10)
    const first = await core.service.historySnapshot({})
    // After the first page: a new message in one chat, and the other chat deleted.
    core.broker.publish({ type: 'message.created', message: message(kept, 150) })
    core.agent.deleteSession(dropped.id)
    await core.sessionLog.settled()
    const rest: HistorySnapshot[] = []
    for (let next = first.next; next; next = rest[rest.length - 1]?.next) rest.push(await core.service.historySnapshot({ cursor: next }))
    const ids = [first, ...rest].flatMap((page) => page.messages.map((entry) => entry.message.id))
    expect(ids.filter((id) => id.startsWith(kept.id))).toHaveLength(150)
    expect(ids).not.toContain(`${kept.id}-m150`)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('answers an empty main with no sessions and no next page', async () => {
    const page = await core.service.historySnapshot({})
    expect(page).toEqual({ sessions: [], messages: [], seq: core.sessionLog.appliedSeq, progress: { done: 0, total: 0 } })
  })
})
