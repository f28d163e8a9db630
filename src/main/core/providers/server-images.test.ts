import { describe, expect, it } from 'vitest'
import type { AttachmentRef } from '../../../shared'
import type { LoadedAttachment } from '../attachments/attachment-store'
import type { ConvertibleImageType } from '../attachments/image-as-png'
import { animatedGif, losslessWebp } from '../attachments/test-fixtures/tiny-images'
import { tinyPng } from '../attachments/test-fixtures/tiny-pdf'
import type { ProviderRequest } from './provider'
import { imageTypesTaken, ServerImages, type ImageConverter } from './server-images'

function image(name: string, mimeType: string, bytes: Buffer, id = name.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')): LoadedAttachment {
  const ref: AttachmentRef = { id, name, mimeType, size: bytes.length, kind: 'image' }
  return { kind: 'image', ref, bytes }
}

function askWith(...attachments: LoadedAttachment[]): ProviderRequest {
  return { model: 'm', messages: [{ role: 'user', content: 'look', attachments }] }
}

const sentOf = (request: ProviderRequest): LoadedAttachment[] => [...(request.messages[0]?.attachments ?? [])]

/** A converter that answers a fixed PNG, counting its calls. */
function countingConverter(): { convert: ImageConverter; calls: ConvertibleImageType[] } {
  const calls: ConvertibleImageType[] = []
  return {
    calls,
    convert: (type) => {
      calls.push(type)
      return Promise.resolve({ ok: true, png: tinyPng, width: 1, height: 1, frames: type === 'image/gif' ? 2 : 1 })
    }
  }
}

describe('imageTypesTaken: what a server is sent as attached', () => {
  it('a server on this machine or network: PNG and JPEG only (Ollama refuses GIF, llama.cpp and LM Studio WebP)', () => {
    for (const local of ['http://127.0.0.1:11434/v1', 'http://localhost:8080/v1', 'http://192.168.1.20:1234/v1', 'http://gpu-box:8000/v1']) {
      expect([...imageTypesTaken(local)].sort(), local).toEqual(['image/jpeg', 'image/png'])
    }
  })

  it('a hosted API (OpenAI, OpenRouter): all four types Parley attaches, as OpenAI documents', () => {
    for (const hosted of ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1']) {
      expect([...imageTypesTaken(hosted)].sort(), hosted).toEqual(['image/gif', 'image/jpeg', 'image/png', 'image/webp'])
    }
  })
})

describe('ServerImages: each image as the server reads it', () => {
  it('issue 14: a GIF and a WebP going to a local server are sent as PNG; a PNG as it is; the names stay', async () => {
    const { convert, calls } = countingConverter()
    const images = new ServerImages('http://127.0.0.1:11434/v1', convert)
    const gif = image('party.gif', 'image/gif', animatedGif)
    const webp = image('shot.webp', 'image/webp', losslessWebp)
    const png = image('dot.png', 'image/png', tinyPng)
    const { request, images: sent } = await images.forServer(askWith(gif, webp, png))
    expect(calls).toEqual(['image/gif', 'image/webp'])
    expect(sentOf(request).map((a) => (a.kind === 'image' ? [a.ref.name, a.ref.mimeType, a.bytes.equals(tinyPng)] : a.kind))).toEqual([
      ['party.gif', 'image/png', true],
      ['shot.webp', 'image/png', true],
      ['dot.png', 'image/png', true]
    ])
    expect(sent).toEqual([
      { name: 'party.gif', attachedAs: 'image/gif', sentAs: 'image/png', frames: 2 },
      { name: 'shot.webp', attachedAs: 'image/webp', sentAs: 'image/png' },
      { name: 'dot.png', attachedAs: 'image/png', sentAs: 'image/png' }
    ])
  })

  it('the attachments asked with are left as they were (the stored file stays as attached)', async () => {
    const bytes = Buffer.from(animatedGif)
    const gif = image('party.gif', 'image/gif', bytes)
    const asked = askWith(gif)
    await new ServerImages('http://127.0.0.1:8080/v1', countingConverter().convert).forServer(asked)
    expect(asked.messages[0]?.attachments?.[0]).toBe(gif)
    expect(gif.ref.mimeType).toBe('image/gif')
    expect(bytes.equals(animatedGif)).toBe(true)
  })

  it('a hosted API gets the GIF and the WebP as attached, and nothing is converted', async () => {
    const { convert, calls } = countingConverter()
    const asked = askWith(image('party.gif', 'image/gif', animatedGif), image('shot.webp', 'image/webp', losslessWebp))
    const { request } = await new ServerImages('https://api.openai.com/v1', convert).forServer(asked)
    expect(calls).toEqual([])
    expect(request.messages).toEqual(asked.messages)
  })

  it('an image that can’t be converted is sent as attached, with the reason kept for a refusal to name', async () => {
    const images = new ServerImages('http://127.0.0.1:8080/v1', () => Promise.resolve({ ok: false, reason: 'Decoding error' }))
    const { request, images: sent } = await images.forServer(askWith(image('broken.webp', 'image/webp', losslessWebp)))
    expect(sentOf(request)[0]).toMatchObject({ ref: { mimeType: 'image/webp' } })
    expect(sent).toEqual([{ name: 'broken.webp', attachedAs: 'image/webp', sentAs: 'image/webp', notConverted: 'Decoding error' }])
  })

  it('the next turns send the same image again: it is converted once, and once for two requests at the same time', async () => {
    const { convert, calls } = countingConverter()
    const images = new ServerImages('http://127.0.0.1:8080/v1', convert)
    const gif = image('party.gif', 'image/gif', animatedGif)
    await Promise.all([images.forServer(askWith(gif)), images.forServer(askWith(gif))])
    await images.forServer(askWith(gif))
    expect(calls).toEqual(['image/gif'])
  })

  it('a request without images is passed on untouched', async () => {
    const asked: ProviderRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }
    const { request, images } = await new ServerImages('http://127.0.0.1:8080/v1', countingConverter().convert).forServer(asked)
    expect(request.messages[0]).toBe(asked.messages[0])
    expect(images).toEqual([])
  })
})
