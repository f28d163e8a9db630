import type { ParleyApi, VisionSupport } from '../../../shared'

/**
 * Whether the chat's model reads images, asked of main once per model (`modelVision`). A failed answer is not kept,
 * and counts as `unknown`.
 */
export class VisionCheck {
  private readonly answers = new Map<string, Promise<VisionSupport>>()

  constructor(private readonly api: Pick<ParleyApi, 'modelVision'>) {}

  support(providerId: string, model: string): Promise<VisionSupport> {
    const key = JSON.stringify([providerId, model])
    const known = this.answers.get(key)
    if (known) return known
    const asking = this.api.modelVision(providerId, model).catch((): VisionSupport => {
      this.answers.delete(key)
      return 'unknown'
    })
    this.answers.set(key, asking)
    return asking
  }
}

/** The warning before images go to a model that may not read them; null when it does. Never a silent drop. */
export function visionWarning(support: VisionSupport, model: string, images: number): string | null {
  const what = images === 1 ? 'an image' : `${images} images`
  if (support === 'no') return `${model} can't see images: it may ignore ${images === 1 ? 'the image' : 'them'} or refuse the prompt. Send anyway?`
  if (support === 'unknown') return `Parley doesn't know whether ${model} can see images. Send ${what} anyway?`
  return null
}
