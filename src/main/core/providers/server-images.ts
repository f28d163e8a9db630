import type { LoadedAttachment } from '../attachments/attachment-store'
import { imageAsPng, type ConvertibleImageType, type PngFromImage } from '../attachments/image-as-png'
import type { ChatTurnMessage, ProviderRequest } from './provider'
import { onThisNetwork } from './served-context'

/**
 * The image types every engine on this machine or network reads from an OpenAI `image_url` data URL: Ollama's
 * `decodeImageURL` takes JPEG, PNG and (since 0.9.7) WebP, not GIF ("invalid image input"); llama.cpp's mtmd decodes
 * with stb_image, which reads PNG, JPEG and GIF, not WebP ("Failed to load image or audio file"); LM Studio refuses
 * WebP ("'url' field must be a base64 encoded image."); vLLM opens any with PIL. PNG and JPEG are the two they share.
 */
const localTypes: ReadonlySet<string> = new Set(['image/png', 'image/jpeg'])
/** What OpenAI documents for its vision models (PNG, JPEG, WebP, non-animated GIF): a hosted API gets the original. */
const hostedTypes: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** The image types a server at this address is sent as they are; the others are sent as PNG. */
export function imageTypesTaken(baseUrl: string): ReadonlySet<string> {
  return onThisNetwork(baseUrl) ? localTypes : hostedTypes
}

/** One image as a request sent it: its name, the type it was attached as, the type sent, and why it wasn't converted. */
export interface SentImage {
  name: string
  attachedAs: string
  sentAs: string
  /** Set when it was meant to be sent as PNG but could not be converted: it was sent as attached. */
  notConverted?: string
  /** How many frames the original had, when more than one (an animated GIF: only the first was sent). */
  frames?: number
}

export type ImageConverter = (type: ConvertibleImageType, bytes: Uint8Array) => Promise<PngFromImage>

/** Converted images kept for the next turns, which send the same history again: at most 8, and 64 MB of PNG. */
const keptConversions = 8
const keptBytes = 64 * 1024 * 1024

/**
 * Makes each image of a request one the server reads (`imageTypesTaken`): a GIF (its first frame) or a WebP going to
 * a server on this machine or network is sent as PNG. The stored attachment stays as it was attached; only what is
 * sent changes. An image that can't be converted is sent as attached (the server may read it after all), and if the
 * server refuses it, the refusal names it (`image-refusal.ts`).
 */
export class ServerImages {
  private readonly kept = new Map<string, PngFromImage>()
  private readonly converting = new Map<string, Promise<PngFromImage>>()

  constructor(
    private readonly baseUrl: string,
    private readonly convert: ImageConverter = imageAsPng
  ) {}

  async forServer(request: ProviderRequest): Promise<{ request: ProviderRequest; images: SentImage[] }> {
    const taken = imageTypesTaken(this.baseUrl)
    const images: SentImage[] = []
    const messages: ChatTurnMessage[] = []
    for (const message of request.messages) {
      if (!message.attachments?.some((attachment) => attachment.kind === 'image')) {
        messages.push(message)
        continue
      }
      const attachments: LoadedAttachment[] = []
      for (const attachment of message.attachments) {
        if (attachment.kind !== 'image') {
          attachments.push(attachment)
          continue
        }
        const type = attachment.ref.mimeType
        const sent: SentImage = { name: attachment.ref.name, attachedAs: type, sentAs: type }
        images.push(sent)
        if (taken.has(type) || (type !== 'image/gif' && type !== 'image/webp')) {
          attachments.push(attachment)
          continue
        }
        const made = await this.converted(attachment.ref.id, type, attachment.bytes)
        if (!made.ok) {
          sent.notConverted = made.reason
          attachments.push(attachment)
          continue
        }
        sent.sentAs = 'image/png'
        if (made.frames > 1) sent.frames = made.frames
        attachments.push({ kind: 'image', ref: { ...attachment.ref, mimeType: 'image/png', size: made.png.length }, bytes: made.png })
      }
      messages.push({ ...message, attachments })
    }
    return { request: { ...request, messages }, images }
  }

  private async converted(id: string, type: ConvertibleImageType, bytes: Buffer): Promise<PngFromImage> {
    const kept = this.kept.get(id)
    if (kept) {
      // Most recently used last.
      this.kept.delete(id)
      this.kept.set(id, kept)
      return kept
    }
    let converting = this.converting.get(id)
    if (!converting) {
      converting = this.convert(type, bytes).finally(() => this.converting.delete(id))
      this.converting.set(id, converting)
    }
    const made = await converting
    if (made.ok) this.keep(id, made)
    return made
  }

  private keep(id: string, made: PngFromImage): void {
    if (!made.ok || made.png.length > keptBytes) return
    this.kept.delete(id)
    this.kept.set(id, made)
    let total = 0
    for (const entry of this.kept.values()) total += entry.ok ? entry.png.length : 0
    for (const [oldest, entry] of this.kept) {
      if (this.kept.size <= keptConversions && total <= keptBytes) break
      this.kept.delete(oldest)
      total -= entry.ok ? entry.png.length : 0
    }
  }
}
