import { ProviderError } from './errors'
import type { SentImage } from './server-images'

/**
 * How servers say they could not read an image they were sent, each in its own words: Ollama's OpenAI layer
 * ("invalid image input"), llama.cpp's server ("Failed to load image or audio file"; mtmd's "failed to decode image
 * bytes"), LM Studio ("'url' field must be a base64 encoded image."), vLLM (PIL's "cannot identify image file"),
 * OpenAI ("You uploaded an unsupported image. …").
 */
const refusalWords: readonly RegExp[] = [
  /invalid image/i,
  /failed to (load|decode) image/i,
  /must be a base64 encoded image/i,
  /cannot identify image file/i,
  /unsupported image/i,
  /image format/i
]

/** Whether a server's words say it could not read an image. */
export function saysImageUnreadable(words: string): boolean {
  return refusalWords.some((pattern) => pattern.test(words))
}

function typeName(mimeType: string): string {
  return mimeType.replace(/^image\//, '').toUpperCase()
}

/**
 * A refusal of a request with images, told as the image it is about: the server's words, then which file it could not
 * read (the ones sent as a type other than PNG or JPEG first, else every image sent, up to three by name), why Parley
 * sent it as attached when it could not convert it, and what to do. Undefined when the failure is not about an image.
 */
export function imageRefusal(failure: ProviderError, images: readonly SentImage[]): ProviderError | undefined {
  if (images.length === 0 || failure.status === undefined || !saysImageUnreadable(failure.message)) return undefined
  const unusual = images.filter((image) => image.sentAs !== 'image/png' && image.sentAs !== 'image/jpeg')
  const named = unusual.length > 0 ? unusual : images
  const shown = named.slice(0, 3).map((image) => `${image.name} (${typeName(image.sentAs)})`)
  const more = named.length - shown.length
  const list = `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
  const which = named.length === 1 ? `It could not read the image ${list}` : `It could not read one of the images ${list}`
  const unconverted = named.find((image) => image.notConverted !== undefined)
  const why =
    unconverted === undefined ? '' : ` Parley could not convert ${unconverted.name} to PNG (${unconverted.notConverted ?? ''}), so it was sent as attached.`
  // A PNG or JPEG it could not read (stb_image has no 12-bit or arithmetic-coded JPEG) is best saved again as a PNG.
  const todo =
    unusual.length > 0 ? 'Edit the prompt to attach it as a PNG or JPEG, or to send it without it.' : 'Edit the prompt to send it without it, or attach it saved again as a PNG.'
  const words = failure.message.trim().replace(/[.\s]+$/, '')
  const message = `${words}. ${which}.${why} ${todo}`
  return new ProviderError({
    kind: failure.kind,
    message,
    status: failure.status,
    cause: failure,
    ...(failure.baseUrl === undefined ? {} : { baseUrl: failure.baseUrl })
  })
}
