import { useEffect, useId, useRef, useState, type JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { errorText } from '../notices/error-text'
import { IconButton } from '../ui/IconButton'
import { useModalFocus } from '../ui/use-modal-focus'
import { useAttachmentServices } from './services'

type Shown = { kind: 'loading' } | { kind: 'shown'; url: string } | { kind: 'failed'; error: string }

/**
 * An attached image whole, read from main off the window's main thread where it can be (browser mode: the worker);
 * Esc, the close button or a click outside closes it. A modal dialog named by the image's name: it takes the focus
 * (its close button) and keeps it while open, and gives it back to the thumbnail that opened it (`useModalFocus`).
 */
export function ImageViewer(props: { image: AttachmentRef; onClose: () => void }): JSX.Element {
  const { openImage } = useAttachmentServices()
  const { image, onClose } = props
  const [shown, setShown] = useState<Shown>({ kind: 'loading' })
  const dialog = useRef<HTMLDivElement>(null)
  const close = useRef<HTMLButtonElement>(null)
  const nameId = useId()
  useModalFocus(dialog, onClose)
  useEffect(() => close.current?.focus(), [])

  useEffect(() => {
    let live = true
    openImage(image.id).then(
      (url) => {
        if (live) setShown({ kind: 'shown', url })
      },
      (failure: unknown) => {
        if (live) setShown({ kind: 'failed', error: errorText(failure, 'Parley could not open this image.') })
      }
    )
    return () => {
      live = false
    }
  }, [openImage, image.id])

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={dialog} className="modal image-viewer" role="dialog" aria-modal="true" aria-labelledby={nameId} data-testid="image-viewer">
        <header className="image-viewer-head">
          <span className="image-viewer-name" id={nameId}>
            {image.name}
          </span>
          <IconButton ref={close} icon="close" label="Close (Esc)" testId="image-viewer-close" onClick={onClose} />
        </header>
        {shown.kind === 'shown' ? (
          <img className="image-viewer-image" src={shown.url} alt={image.name} data-testid="image-viewer-image" />
        ) : shown.kind === 'failed' ? (
          <p className="composer-error" role="alert">
            {shown.error}
          </p>
        ) : (
          <p className="image-viewer-loading">Opening…</p>
        )}
      </div>
    </div>
  )
}
