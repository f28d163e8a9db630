import { useSyncExternalStore, type JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { ExternalStore } from '../external-store'
import { ImageViewer } from './ImageViewer'

/**
 * The image open whole, if any: kept by the window, not by the message's row, so a row the chat list stops drawing
 * (the list following an answer as it grows, or scrolled) doesn't close the image under the person reading it.
 */
export class ShownImageStore extends ExternalStore<AttachmentRef | undefined> {
  constructor() {
    super(undefined)
  }

  open(image: AttachmentRef): void {
    this.replace(image)
  }

  close(): void {
    this.replace(undefined)
  }
}

/** The window's one image viewer. */
export const shownImage = new ShownImageStore()

/** Draws the image open whole (`shownImage`); in the window once, beside the other dialogs. */
export function ShownImage(props: { store?: ShownImageStore }): JSX.Element | null {
  const store = props.store ?? shownImage
  const image = useSyncExternalStore(store.subscribe, store.getSnapshot)
  return image ? <ImageViewer key={image.id} image={image} onClose={() => store.close()} /> : null
}
