import { PNG } from 'pngjs'
import { afterEach, describe, expect, it } from 'vitest'
import { imageUrlsOf, startScriptedServer, type ImageEngine, type RecordedRequest, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ParleyCore } from '../parley-core'
import { completeOf, coreOnServer, uploadOf } from './test-fixtures/core-on-server'
import { animatedGif, animatedGifFirstFrame, losslessWebp, losslessWebpPixels, unreadableWebp } from './test-fixtures/tiny-images'
import { tinyPng } from './test-fixtures/tiny-pdf'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
  core = server = undefined
})

async function started(engine: ImageEngine): Promise<{ s: ScriptedServer; c: ParleyCore }> {
  server = await startScriptedServer({ refuseImages: engine })
  core = await coreOnServer(server.url)
  return { s: server, c: core }
}

/** The chat's requests, not the titles'. */
const chats = (s: ScriptedServer): RecordedRequest[] =>
  s.requests.filter((r) => r.path.endsWith('/chat/completions') && (r.body as { model?: string }).model !== 'title')

/** The one image a request sent: its data URL's type and its pixels. */
function sentImage(request: RecordedRequest | undefined): { type: string; width: number; height: number; data: number[] } {
  const [url] = imageUrlsOf(request?.body)
  const [, type = '', base64 = ''] = /^data:([^;]+);base64,(.*)$/s.exec(url ?? '') ?? []
  const png = PNG.sync.read(Buffer.from(base64, 'base64'))
  return { type, width: png.width, height: png.height, data: [...png.data] }
}

describe('images reach a local engine in a format it reads (GIF for Ollama, WebP for llama.cpp and LM Studio)', () => {
  it('issue 14: a GIF sent to Ollama arrives as a PNG of its first frame and is answered; the stored file is still the GIF', async () => {
    const { s, c } = await started('ollama')
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    const stored = await c.service.putAttachment(uploadOf('party.gif', animatedGif, 'image/gif'))
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'what is this?', attachments: [stored.ref] })
    expect((await done).error).toBeUndefined()
    expect(sentImage(chats(s)[0])).toEqual({ type: 'image/png', width: 2, height: 2, data: animatedGifFirstFrame })
    const kept = await c.service.readAttachment(stored.ref.id)
    expect(kept.ref).toMatchObject({ name: 'party.gif', mimeType: 'image/gif' })
    expect(Buffer.from(kept.dataBase64, 'base64').equals(animatedGif)).toBe(true)
  })

  it.each(['llama.cpp', 'lm-studio'] as const)('issue 14: a WebP sent to %s arrives as a PNG of exactly its pixels and is answered', async (engine) => {
    const { s, c } = await started(engine)
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'and this?', attachments: [uploadOf('shot.webp', losslessWebp, 'image/webp')] })
    expect((await done).error).toBeUndefined()
    expect(sentImage(chats(s)[0])).toEqual({ type: 'image/png', width: 4, height: 3, data: losslessWebpPixels })
  })

  it('a PNG is sent as it was attached, byte for byte', async () => {
    const { s, c } = await started('ollama')
    const session = await c.service.createSession({})
    const done = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'x', attachments: [uploadOf('dot.png', tinyPng, 'image/png')] })
    expect((await done).error).toBeUndefined()
    expect(imageUrlsOf(chats(s)[0]?.body)).toEqual([`data:image/png;base64,${tinyPng.toString('base64')}`])
  })

  it('B5, H2: an image the engine still refuses fails the turn in a sentence naming the file and why; the prompt and its file stay for Retry and Edit', async () => {
    const { s, c } = await started('llama.cpp')
    const session = await c.service.createSession({})
    const failed = completeOf(c, 'r1')
    await c.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'see', attachments: [uploadOf('noise.webp', unreadableWebp(), 'image/webp')] })
    const error = (await failed).error ?? ''
    expect(error).toMatch(/^The model server rejected the request \(400\): Failed to load image or audio file\. It could not read the image noise\.webp \(WEBP\)\./)
    expect(error).toMatch(/Parley could not convert noise\.webp to PNG \(.+\), so it was sent as attached\./)
    expect(chats(s)).toHaveLength(1)
    const [user, answer] = await c.sessionLog.read(session.id, { afterSeq: c.broker.lastSeq })
    expect(user).toMatchObject({ role: 'user', parts: [{ type: 'text', text: 'see' }] })
    expect(user?.attachments).toEqual([expect.objectContaining({ name: 'noise.webp', mimeType: 'image/webp' })])
    expect(c.attachments.has(user?.attachments?.[0]?.id ?? '')).toBe(true)
    expect(answer).toMatchObject({ role: 'assistant', error })
  })
})
