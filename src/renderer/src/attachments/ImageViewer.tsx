import { useEffect, useState, type JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { IconButton } from '../ui/IconButton'

type Shown = { kind: 'loading' } | { kind: 'shown'; url: string } | { kind: 'failed'; error: string }

/** An attached image whole, read from main (`readAttachment`); Esc, the close button or a click outside closes it. */
export function ImageViewer(props: { image: AttachmentRef; onClose: () => void }): JSX.Element {
  const { api } = useParley()
  const { image, onClose } = props
  const [shown, setShown] = useState<Shown>({ kind: 'loading' })

  useEffect(() => {
    let live = true
    api.readAttachment(image.id).then(
      (data) => {
        // A data URL, not an object URL: both shells' Content-Security-Policy allow `data:` images, not `blob:`.
        if (live) setShown({ kind: 'shown', url: `data:${data.ref.mimeType};base64,${data.dataBase64}` })
      },
      (failure: unknown) => {
        if (live) setShown({ kind: 'failed', error: errorText(failure, 'Parley could not open this image.') })
      }
    )
    return () => {
      live = false
    }
  }, [api, image.id])

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      event.stopPropagation()
      onClose()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [onClose])

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="modal image-viewer" role="dialog" aria-modal="true" aria-label={image.name} data-testid="image-viewer">
        <header className="image-viewer-head">
          <span className="image-viewer-name">{image.name}</span>
          <IconButton icon="close" label="Close (Esc)" testId="image-viewer-close" onClick={onClose} />
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
