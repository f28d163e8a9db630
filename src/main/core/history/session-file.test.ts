import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SessionDirectory } from '../agent/session-directory'
import { EventBroker } from '../events/event-broker'
import { SessionFile } from './session-file'

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
