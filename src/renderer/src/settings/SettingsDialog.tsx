import { useEffect, useId, useRef, useState, type JSX, type ReactNode } from 'react'
import { closeAction } from './close-guard'
import { DiscardConfirm } from './DiscardConfirm'
import { IconButton } from '../ui/IconButton'

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

  const close = (how: 'button' | 'escape'): void => {
    const action = closeAction({ dirty, asking }, how)
    if (action === 'close') onClose()
    else setAsking(action === 'ask')
  }
  const requestClose = (): void => close('button')
  const latestClose = useRef(close)
  useEffect(() => {
    latestClose.current = close
  })

  // Keyboard users start inside the dialog, not on the button behind it.
  useEffect(() => dialog.current?.focus(), [])

  // Esc closes like ×. Listening in the capture phase and marking the event handled keeps the window's own Esc
  // (which stops an answer) out of it.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      latestClose.current('escape')
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [])

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && requestClose()}>
      <section ref={dialog} tabIndex={-1} className="modal settings" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`}>
        <header className="modal-head">
          <h2 id={`${ids}-title`}>Settings</h2>
          <IconButton icon="close" testId="settings-close" label="Close settings" onClick={requestClose} />
        </header>
        {asking ? <DiscardConfirm onKeep={() => setAsking(false)} onDiscard={onClose} /> : null}
        {props.children(requestClose)}
      </section>
    </div>
  )
}
