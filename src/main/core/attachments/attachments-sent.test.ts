import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ParleyCore } from '../parley-core'
import { completeOf, coreOnServer, uploadOf } from './test-fixtures/core-on-server'
import { tinyPdf, tinyPng } from './test-fixtures/tiny-pdf'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
  core = server = undefined
})

/** The chat's requests, not the titles'. */
const chats = (s: ScriptedServer): RecordedRequest[] =>
  s.requests.filter((r) => (r.path.endsWith('/chat/completions') || r.path.endsWith('/messages')) && (r.body as { model?: string }).model !== 'title')

/** The content of the request's last user message. */
function lastUserContent(request: RecordedRequest): unknown {
  const body = request.body as { messages: { role: string; content: unknown }[] }
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content
}

async function started(kind: 'openai' | 'anthropic' = 'openai', model?: string): Promise<{ s: ScriptedServer; c: ParleyCore }> {
  server = await startScriptedServer()
  core = await coreOnServer(kind === 'openai' ? server.url : server.origin, { kind, ...(model ? { model } : {}) })
  return { s: server, c: core }
}

describe('attachments reach the model the way each provider wants them (issue 14)', () => {
  it('putAttachment answers a warning with a PDF that has no text (a scan): the model may see nothing of it', async () => {
    const { c } = await started()
    const scan = await c.service.putAttachment(uploadOf('scan.pdf', tinyPdf(['']), 'application/pdf'))
    expect(scan).toMatchObject({ ref: { name: 'scan.pdf', kind: 'pdf' }, warning: expect.stringMatching(/^No text found \(scanned\?\)/) })
  })

  it('OpenAI-compatible: an image arrives as an image_url data URL of exactly the file’s bytes', async () => {
    const { s, c } = await started()
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'what is this?', attachments: [uploadOf('dot.png', tinyPng, 'image/png')] })
    expect((await done).error).toBeUndefined()
    expect(lastUserContent(chats(s)[0] as RecordedRequest)).toEqual([
      { type: 'text', text: 'what is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${tinyPng.toString('base64')}` } }
    ])
  })

  it('OpenAI-compatible: a text file is inlined as a fenced block headed with its name; a PDF as its text, page by page', async () => {
    const { s, c } = await started()
    const session = await c.service.createSession({})
    const code = (await c.service.putAttachment(uploadOf('hello.py', Buffer.from('print("hi")\n'), 'text/x-python'))).ref
    const stored = await c.service.putAttachment(uploadOf('report.pdf', tinyPdf(['Alpha page', 'Beta page']), 'application/pdf'))
    expect(stored.warning).toBeUndefined()
    const pdf = stored.ref
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'summarise', attachments: [code, pdf] })
    await done
    const content = lastUserContent(chats(s)[0] as RecordedRequest) as { type: string; text: string }[]
    expect(content).toHaveLength(1)
    const text = content[0]?.text ?? ''
    expect(text).toContain('File: hello.py\n```py\nprint("hi")\n```')
    expect(text).toContain('PDF: report.pdf (2 pages)')
    expect(text).toContain('--- Page 1 ---\nAlpha page')
    expect(text).toContain('--- Page 2 ---\nBeta page')
    expect(text.endsWith('summarise')).toBe(true)
  })

  it('Anthropic: an image is an image block (base64), a PDF a document block for Claude 3.5 and later', async () => {
    const { s, c } = await started('anthropic', 'claude-sonnet-4-5')
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    const attachments = [uploadOf('dot.png', tinyPng, 'image/png'), uploadOf('a.pdf', tinyPdf(['Gamma']), 'application/pdf')]
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'look', attachments })
    expect((await done).error).toBeUndefined()
    expect(lastUserContent(chats(s)[0] as RecordedRequest)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: tinyPng.toString('base64') } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: tinyPdf(['Gamma']).toString('base64') }, title: 'a.pdf' },
      { type: 'text', text: 'look' }
    ])
  })

  it('Anthropic: a model before Claude 3.5 gets a PDF as its text', async () => {
    const { s, c } = await started('anthropic', 'claude-3-opus-20240229')
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'read', attachments: [uploadOf('a.pdf', tinyPdf(['Delta']), 'application/pdf')] })
    await done
    expect(lastUserContent(chats(s)[0] as RecordedRequest)).toEqual([{ type: 'text', text: 'PDF: a.pdf (1 page)\n\n--- Page 1 ---\nDelta\n\nread' }])
  })

  it('the user message keeps the refs, and Retry after a failure resends the image', async () => {
    const { s, c } = await started()
    s.script({ fault: { type: 'status', status: 400 } })
    const session = await c.service.createSession({})
    const failed = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'see', attachments: [uploadOf('dot.png', tinyPng, 'image/png')] })
    expect((await failed).error).toBeDefined()
    const [user] = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    expect(user?.attachments).toEqual([expect.objectContaining({ name: 'dot.png', kind: 'image', size: tinyPng.length })])
    const retried = completeOf(c, 'r2')
    await c.service.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'see', retryOf: user?.id ?? '' })
    expect((await retried).error).toBeUndefined()
    expect(lastUserContent(chats(s)[1] as RecordedRequest)).toEqual(lastUserContent(chats(s)[0] as RecordedRequest))
  })

  it('H3: an edit without attachments of its own carries over the edited message’s; one with [] sends none', async () => {
    const { s, c } = await started()
    const session = await c.service.createSession({})
    const first = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'v1', attachments: [uploadOf('n.txt', Buffer.from('note'), 'text/plain')] })
    await first
    const [user] = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    const edited = completeOf(c, 'r2')
    await c.service.enqueue({ sessionId: session.id, runId: 'r2', prompt: 'v2', editOf: user?.id ?? '' })
    await edited
    expect(lastUserContent(chats(s)[1] as RecordedRequest)).toEqual([{ type: 'text', text: 'File: n.txt\n```txt\nnote\n```\n\nv2' }])
    const bare = completeOf(c, 'r3')
    await c.service.enqueue({ sessionId: session.id, runId: 'r3', prompt: 'v3', editOf: user?.id ?? '', attachments: [] })
    await bare
    expect(lastUserContent(chats(s)[2] as RecordedRequest)).toBe('v3')
  })

  it('a ref main does not hold is refused with AttachmentMissing, and nothing is accepted', async () => {
    const { c } = await started()
    const session = await c.service.createSession({})
    const ghost = { id: 'a'.repeat(64), name: 'ghost.png', mimeType: 'image/png', size: 3, kind: 'image' as const }
    await expect(c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'x', attachments: [ghost] })).rejects.toMatchObject({
      code: 'AttachmentMissing'
    })
    expect(c.agent.busySessions()).toEqual([])
  })

  it('deleting the last chat that uses a file removes it from main’s data folder; one still used stays', async () => {
    const { c } = await started()
    const [a, b] = [await c.service.createSession({}), await c.service.createSession({})]
    const ref = (await c.service.putAttachment(uploadOf('dot.png', tinyPng, 'image/png'))).ref
    const file = join(c.attachments.dir, ref.id)
    for (const [session, runId] of [[a, 'r1'], [b, 'r2']] as const) {
      const done = completeOf(c, runId)
      await c.service.enqueue({ sessionId: session.id, runId, prompt: 'x', attachments: [ref] })
      await done
    }
    await c.service.deleteSession(a.id)
    await c.sessionLog.settled()
    expect(existsSync(file)).toBe(true)
    await c.service.deleteSession(b.id)
    await c.sessionLog.settled()
    expect(existsSync(file)).toBe(false)
    expect(c.attachments.has(ref.id)).toBe(false)
  })

  it('a file attached again for a prompt not sent yet stays when the last chat using its bytes is deleted; once sent, it goes with its chat', async () => {
    const { s, c } = await started()
    const [a, b] = [await c.service.createSession({}), await c.service.createSession({})]
    const sentBefore = (await c.service.putAttachment(uploadOf('dot.png', tinyPng, 'image/png'))).ref
    const first = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: a.id, runId: 'r1', prompt: 'x', attachments: [sentBefore] })
    await first
    // The window attaches the same bytes to chat b's composer; meanwhile chat a, the only one using them, is deleted.
    const composing = (await c.service.putAttachment(uploadOf('again.png', tinyPng, 'image/png'))).ref
    expect(composing.id).toBe(sentBefore.id)
    await c.service.deleteSession(a.id)
    await c.sessionLog.settled()
    expect(c.attachments.has(composing.id)).toBe(true)
    const second = completeOf(c, 'r2')
    await c.service.enqueue({ sessionId: b.id, runId: 'r2', prompt: 'and this?', attachments: [composing] })
    expect((await second).error).toBeUndefined()
    expect(JSON.stringify(lastUserContent(chats(s).at(-1) as RecordedRequest))).toContain(tinyPng.toString('base64'))
    await c.service.deleteSession(b.id)
    await c.sessionLog.settled()
    expect(c.attachments.has(composing.id)).toBe(false)
  })

  it('deleting the message branch that used a file removes it', async () => {
    const { c } = await started()
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'x', attachments: [uploadOf('a.txt', Buffer.from('aaa'), 'text/plain')] })
    await done
    const [user] = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    const id = user?.attachments?.[0]?.id ?? ''
    expect(c.attachments.has(id)).toBe(true)
    await c.service.deleteMessages(session.id, user?.id ?? '')
    await c.sessionLog.settled()
    expect(c.attachments.has(id)).toBe(false)
  })

  it('modelVision: Ollama’s /api/show capabilities, Claude 3 and later, else unknown', async () => {
    const { s, c } = await started()
    s.setCapabilities('llava', ['completion', 'vision'])
    s.setCapabilities('llama3', ['completion'])
    expect(await c.service.modelVision('scripted', 'llava')).toBe('yes')
    expect(await c.service.modelVision('scripted', 'llama3')).toBe('no')
    expect(await c.service.modelVision('scripted', 'mystery')).toBe('unknown')
    const show = s.requests.find((r) => r.path === '/api/show')
    expect(show?.body).toEqual({ model: 'llava' })
  })
})
