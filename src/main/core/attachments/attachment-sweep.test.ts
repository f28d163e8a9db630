import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ParleyCore } from '../parley-core'
import { completeOf, coreOnServer, uploadOf } from './test-fixtures/core-on-server'
import { tinyPng } from './test-fixtures/tiny-pdf'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
  core = server = undefined
})

describe('the sweep at start (crash safety of deletes)', () => {
  it('removes a file no message and no queued prompt uses, and keeps one a message and one a queued prompt use', async () => {
    server = await startScriptedServer()
    server.setDefault((req) => ((req.body as { model?: string }).model === 'title' ? { text: 't' } : { text: 'held', gate: 'hold' }))
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-sweep-'))
    core = await coreOnServer(server.url, { dataDir })
    const session = await core.service.createSession({})
    const answered = (await core.service.putAttachment(uploadOf('answered.txt', Buffer.from('a'), 'text/plain'))).ref
    const queued = (await core.service.putAttachment(uploadOf('queued.png', tinyPng, 'image/png'))).ref
    const orphan = (await core.service.putAttachment(uploadOf('never-sent.txt', Buffer.from('o'), 'text/plain'))).ref
    await core.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'one', attachments: [answered] })
    await core.service.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'two', attachments: [queued] })
    await server.waitForGate('hold')
    // A quit: r1 is interrupted (its message stays), r2 stays queued in the journal for the next start.
    await core.shutdown()
    server.release('hold')
    server.setDefault({ text: 'ok' })

    core = await coreOnServer(server.url, { dataDir, attachmentSweepAgeMs: 0 })
    expect(core.attachments.has(answered.id)).toBe(true)
    expect(core.attachments.has(queued.id)).toBe(true)
    expect(core.attachments.has(orphan.id)).toBe(false)
    expect((await completeOf(core, 'r2')).error).toBeUndefined()
  })

  it("keeps a draft's file across a restart: the window holds it again and sends it", async () => {
    server = await startScriptedServer()
    server.setDefault({ text: 'ok' })
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-sweep-'))
    core = await coreOnServer(server.url, { dataDir })
    const session = await core.service.createSession({})
    const draft = (await core.service.putAttachment(uploadOf('draft-notes.txt', Buffer.from('notes kept with a draft'), 'text/plain'))).ref
    await core.shutdown()

    core = await coreOnServer(server.url, { dataDir })
    const missing = 'a'.repeat(64)
    expect(await core.service.holdAttachments([draft.id, missing])).toEqual([draft.id])
    expect(core.attachments.isHeld(draft.id)).toBe(true)
    await core.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'with the kept file', attachments: [draft] })
    expect((await completeOf(core, 'r1')).error).toBeUndefined()
    // The turn's request (a title request may come after it) carried the file's text.
    expect(server.requests.some((request) => JSON.stringify(request.body ?? null).includes('notes kept with a draft'))).toBe(true)
  })
})
