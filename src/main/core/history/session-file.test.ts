import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newDataDir, startCore } from '../journal/test-fixtures/lifetimes'
import type { ParleyCore } from '../parley-core'
import { SessionDirectory } from '../agent/session-directory'
import { EventBroker } from '../events/event-broker'
import { SessionFile } from './session-file'

let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  core = undefined
})

describe('SessionFile', () => {
  it('E3: a sessions.json from before titleSource loads; a fallback title keeps its source across a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-sessions-'))
    writeFileSync(
      join(dataDir, 'sessions.json'),
      JSON.stringify({ sessions: [{ id: 'old', title: 'Kept as it was', createdAt: 1, updatedAt: 2 }] })
    )
    const file = new SessionFile(dataDir)
    expect(file.load()).toEqual([{ id: 'old', title: 'Kept as it was', createdAt: 1, updatedAt: 2 }])

    const directory = new SessionDirectory()
    const broker = new EventBroker()
    const detach = file.attach(directory, broker)
    directory.add({ id: 'new', title: null, createdAt: 3, updatedAt: 3 })
    directory.setTitle('new', 'a prompt…', 'fallback')
    broker.publish({ type: 'session.titled', sessionId: 'new', title: 'a prompt…', source: 'fallback' })
    detach()
    expect(new SessionFile(dataDir).load().find((s) => s.id === 'new')).toMatchObject({ title: 'a prompt…', titleSource: 'fallback' })
  })
})

describe('a flood of new chats (issue 13, finding 9)', () => {
  it('is a few writes off the event loop, not an fsync per chat, and each call answers once its chat is on disk', async () => {
    const dataDir = newDataDir()
    core = await startCore(dataDir)
    const file = join(dataDir, 'sessions.json')
    const one = await core.service.createSession({ title: 'first' })
    expect(readFileSync(file, 'utf8')).toContain(one.id)

    const flood = await Promise.all(Array.from({ length: 500 }, (_, n) => core?.service.createSession({ title: `chat ${n}` })))
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { sessions: { id: string }[] }
    const ids = new Set(saved.sessions.map((session) => session.id))
    expect(flood.every((session) => session !== undefined && ids.has(session.id))).toBe(true)
    const writes = core.sessionFile.writes
    expect(writes).toBeLessThan(50)

    await core.service.renameSession(one.id, 'renamed')
    expect(readFileSync(file, 'utf8')).toContain('renamed')
  })
})
