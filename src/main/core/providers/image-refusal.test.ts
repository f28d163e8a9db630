import { describe, expect, it } from 'vitest'
import { describeProviderError, ProviderError } from './errors'
import { imageRefusal, saysImageUnreadable } from './image-refusal'
import type { SentImage } from './server-images'

const refused = (message: string, status = 400): ProviderError => new ProviderError({ kind: 'bad_request', status, message })
const gif: SentImage = { name: 'party.gif', attachedAs: 'image/gif', sentAs: 'image/gif' }
const png: SentImage = { name: 'dot.png', attachedAs: 'image/png', sentAs: 'image/png' }

describe('saysImageUnreadable: each engine’s words for an image it could not read', () => {
  it.each([
    ['Ollama', 'invalid image input'],
    ['llama.cpp', 'Failed to load image or audio file'],
    ['llama.cpp’s mtmd', 'mtmd_helper_bitmap_init_from_buf: failed to decode image bytes'],
    ['LM Studio', "'url' field must be a base64 encoded image."],
    ['vLLM (PIL)', 'cannot identify image file <_io.BytesIO object at 0x7f>'],
    ['OpenAI', "You uploaded an unsupported image. Please make sure your image is below 20 MB in size and is of one the following formats: ['png', 'jpeg', 'gif', 'webp']."]
  ])('%s', (_engine, words) => {
    expect(saysImageUnreadable(words)).toBe(true)
  })

  it('other refusals are not about an image', () => {
    expect(saysImageUnreadable('the request exceeds the available context size, try increasing it')).toBe(false)
    expect(saysImageUnreadable("model 'x' not found")).toBe(false)
  })
})

describe('imageRefusal: a refused image is named', () => {
  it('the sentence has the server’s words, the file’s name and type, and what to do', () => {
    const named = imageRefusal(refused('invalid image input'), [png, gif])
    expect(named).toBeInstanceOf(ProviderError)
    expect(named).toMatchObject({ kind: 'bad_request', status: 400 })
    expect(describeProviderError(named as ProviderError)).toBe(
      'The model server rejected the request (400): invalid image input. It could not read the image party.gif (GIF). ' +
        'Edit the prompt to attach it as a PNG or JPEG, or to send it without it.'
    )
  })

  it('an image Parley could not convert says why it was sent as attached', () => {
    const broken: SentImage = { name: 'shot.webp', attachedAs: 'image/webp', sentAs: 'image/webp', notConverted: 'Decoding error' }
    const text = describeProviderError(imageRefusal(refused("'url' field must be a base64 encoded image."), [broken]) as ProviderError)
    expect(text).toContain('It could not read the image shot.webp (WEBP). Parley could not convert shot.webp to PNG (Decoding error), so it was sent as attached.')
  })

  it('only PNGs and JPEGs sent (llama.cpp can answer 500): every image is named, three at most, and saving it again is what helps', () => {
    const many = ['a.png', 'b.png', 'c.png', 'd.png'].map((name) => ({ ...png, name }))
    expect(imageRefusal(refused('Failed to load image or audio file', 500), many)?.message).toBe(
      'Failed to load image or audio file. It could not read one of the images a.png (PNG), b.png (PNG), c.png (PNG) and 1 more. ' +
        'Edit the prompt to send it without it, or attach it saved again as a PNG.'
    )
  })

  it('a refusal not about an image, a request without images, or a failure with no status: undefined', () => {
    expect(imageRefusal(refused('the request exceeds the available context size'), [gif])).toBeUndefined()
    expect(imageRefusal(refused('invalid image input'), [])).toBeUndefined()
    expect(imageRefusal(new ProviderError({ kind: 'server', message: 'invalid image input' }), [gif])).toBeUndefined()
  })
})
