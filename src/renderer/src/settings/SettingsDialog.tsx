import { useEffect, useId, useRef, useState, type JSX, type ReactNode } from 'react'
import { closeAction } from './close-guard'
import { DiscardConfirm } from './DiscardConfirm'
import { IconButton } from '../ui/IconButton'
import { useModalFocus } from '../ui/use-modal-focus'

export interface SettingsDialogProps {
  /** Unsaved edits: closing asks "Discard unsaved changes?" first. */
  dirty: boolean
  onClose: () => void
  /** The dialog's body, given the close request its own Close button makes. */
  children: (requestClose: () => void) => ReactNode
}

/** The Settings modal: ×, Esc and a click outside all close it, asking first when there are unsaved edits. */
export function SettingsDialog(props: SettingsDialogProps): JSX.Element {
  const { dirty, onClose } = props
  const [asking, setAsking] = useState(false)
  const ids = useId()
  const dialog = useRef<HTMLElement>(null)

  // The question goes, with the button that had the focus: the dialog keeps it.
  const keepEditing = (): void => {
    setAsking(false)
    dialog.current?.focus()
  }
  const close = (how: 'button' | 'escape'): void => {
    const action = closeAction({ dirty, asking }, how)
    if (action === 'close') onClose()
    else if (action === 'ask') setAsking(true)
    else keepEditing()
  }
  const requestClose = (): void => close('button')
  // Esc closes like × (asking first, or answering "Keep editing" while that is asked).
  useModalFocus(dialog, () => close('escape'))

  // Keyboard users start inside the dialog, not on the button behind it.
  useEffect(() => dialog.current?.focus(), [])

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && requestClose()}>
      <section ref={dialog} tabIndex={-1} className="modal settings" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`}>
        <header className="modal-head">
          <h2 id={`${ids}-title`}>Settings</h2>
          <IconButton icon="close" testId="settings-close" label="Close settings" onClick={requestClose} />
        </header>
        {asking ? <DiscardConfirm onKeep={keepEditing} onDiscard={onClose} /> : null}
        {props.children(requestClose)}
      </section>
    </div>
  )
}
