import { useEffect, useRef, type JSX } from 'react'

/** "Discard unsaved changes?", asked in the window (not window.confirm), so a keyboard or a test can answer it. */
export function DiscardConfirm(props: { onKeep: () => void; onDiscard: () => void }): JSX.Element {
  const keep = useRef<HTMLButtonElement>(null)
  useEffect(() => keep.current?.focus(), [])
  return (
    <div className="discard-confirm" role="alertdialog" aria-labelledby="discard-confirm-text" data-testid="settings-discard-confirm">
      <p id="discard-confirm-text">Discard unsaved changes?</p>
      <button type="button" ref={keep} className="button" data-testid="settings-keep-editing" onClick={props.onKeep}>
        Keep editing
      </button>
      <button type="button" className="button danger" data-testid="settings-discard" onClick={props.onDiscard}>
        Discard
      </button>
    </div>
  )
}
