import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { AttachmentRef, ChatArchive } from '../../../shared'
import type { ParleyCore } from '../parley-core'
import { completeOf, coreOnServer } from './test-fixtures/core-on-server'
import { tinyPng } from './test-fixtures/tiny-pdf'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
  core = server = undefined
})

const pngId = createHash('sha256').update(tinyPng).digest('hex')
const pngRef: AttachmentRef = { id: pngId, name: 'dot.png', mimeType: 'image/png', size: tinyPng.length, kind: 'image' }

function archiveWith(file: { id: string; name: string; mimeType: string; dataBase64: string }): ChatArchive {
  return {
    format: 'parley.chats',
    version: 2,
    exportedAt: 1,
    attachments: [file],
    chats: [
      {
        id: 'pictures',
        title: 'Pictures',
        createdAt: 1,
        updatedAt: 2,
        leafId: 'a1',
        messages: [
          { id: 'u1', parentId: null, role: 'user', parts: [{ type: 'text', text: 'what is it?' }], createdAt: 1, attachments: [pngRef] },
          { id: 'a1', parentId: 'u1', role: 'assistant', parts: [{ type: 'text', text: 'a dot' }], createdAt: 2, finishReason: 'end_turn' }
        ]
      }
    ]
  }
}

describe('archives carry attachments (version 2), and import restores them', () => {
  it('import stores the file through the same checks, and a prompt in the imported chat sends the image again', async () => {
    server = await startScriptedServer()
    core = await coreOnServer(server.url)
    const result = await core.service.importChats(archiveWith({ id: pngId, name: 'dot.png', mimeType: 'image/png', dataBase64: tinyPng.toString('base64') }))
    expect(result).toEqual({ imported: 1, skipped: 0, messages: 2 })
    expect((await core.service.readAttachment(pngId)).dataBase64).toBe(tinyPng.toString('base64'))
    const done = completeOf(core, 'r1')
    await core.service.enqueue({ sessionId: 'pictures', runId: 'r1', prompt: 'and now?' })
    await done
    const sent = server.requests.find((r) => (r.body as { model?: string } | undefined)?.model === 'large')
    const messages = (sent?.body as { messages: { content: unknown }[] }).messages
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'what is it?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${tinyPng.toString('base64')}` } }
    ])
  })

  it('refuses the whole archive when a file is not the bytes its id names, or is damaged, and imports nothing', async () => {
    server = await startScriptedServer()
    core = await coreOnServer(server.url)
    const swapped = archiveWith({ id: pngId, name: 'dot.png', mimeType: 'text/plain', dataBase64: Buffer.from('other').toString('base64') })
    await expect(core.service.importChats(swapped)).rejects.toMatchObject({ code: 'ArchiveInvalid', message: expect.stringContaining('attachments[0]') })
    const damaged = archiveWith({ id: pngId, name: 'dot.png', mimeType: 'image/png', dataBase64: tinyPng.subarray(0, 30).toString('base64') })
    await expect(core.service.importChats(damaged)).rejects.toMatchObject({ code: 'ArchiveInvalid', message: expect.stringContaining('damaged') })
    expect(core.agent.sessions.has('pictures')).toBe(false)
  })

  it('refuses a message whose file is not in the archive, and still reads version 1', async () => {
    server = await startScriptedServer()
    core = await coreOnServer(server.url)
    const missing = { ...archiveWith({ id: pngId, name: 'dot.png', mimeType: 'image/png', dataBase64: tinyPng.toString('base64') }), attachments: [] }
    await expect(core.service.importChats(missing)).rejects.toMatchObject({ code: 'ArchiveInvalid', message: expect.stringContaining('not among') })
    const v1: ChatArchive = { format: 'parley.chats', version: 1, exportedAt: 1, chats: [{ id: 'old', title: null, createdAt: 1, updatedAt: 1, leafId: null, messages: [] }] }
    expect(await core.service.importChats(v1)).toMatchObject({ imported: 1 })
  })
})
