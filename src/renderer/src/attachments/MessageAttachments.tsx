import { useEffect, useState, type JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { Icon } from '../ui/icons'
import { sizeLabel } from './attachable'
import { shownImage } from './shown-image'
import { useAttachmentServices } from './services'

/** An image's thumbnail from Dexie, or made from main's bytes the first time (a message from a rebuild or an import). */
function useThumbnail(ref: AttachmentRef): string | null {
  const { thumbnails } = useAttachmentServices()
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void thumbnails.get(ref).then((found) => {
      if (live) setUrl(found)
    })
    return () => {
      live = false
    }
  }, [thumbnails, ref])
  return url
}

function Attachment(props: { attachment: AttachmentRef; onOpen: (image: AttachmentRef) => void }): JSX.Element {
  const { attachment } = props
  const thumbnail = useThumbnail(attachment)
  const facts = `${attachment.name} · ${sizeLabel(attachment.size)}`
  if (attachment.kind === 'image') {
    return (
      <li className="message-attachment" data-testid="message-attachment" data-kind="image">
        <button type="button" className="message-attachment-image" aria-label={`Open ${attachment.name}`} title={facts} onClick={() => props.onOpen(attachment)}>
          {thumbnail ? <img src={thumbnail} alt={attachment.name} data-testid="message-attachment-thumb" /> : <Icon name="file" />}
        </button>
      </li>
    )
  }
  return (
    <li className="message-attachment attachment" data-testid="message-attachment" data-kind={attachment.kind} title={facts}>
      <span className="attachment-icon">
        <Icon name={attachment.kind === 'pdf' ? 'pdf' : 'file'} />
      </span>
      <span className="attachment-facts">
        <span className="attachment-name">{attachment.name}</span>
        <span className="attachment-size">{sizeLabel(attachment.size)}</span>
      </span>
    </li>
  )
}

/** A user message's attachments: images as thumbnails that open whole (in the window's viewer), other files as chips. */
export function MessageAttachments(props: { attachments: readonly AttachmentRef[] }): JSX.Element | null {
  if (props.attachments.length === 0) return null
  return (
    <ul className="message-attachments" aria-label="Attachments">
      {props.attachments.map((attachment, index) => (
        <Attachment key={`${index}-${attachment.id}`} attachment={attachment} onOpen={(image) => shownImage.open(image)} />
      ))}
    </ul>
  )
}
