import type { JSX } from 'react'

/** Asks before images go to a model that may not read them: "Send anyway" or "Cancel". */
export function VisionWarning(props: { text: string; onCancel: () => void; onSendAnyway: () => void }): JSX.Element {
  return (
    <div className="vision-warning" role="alertdialog" aria-label="Images and this model" data-testid="vision-warning">
      <p>{props.text}</p>
      <button type="button" className="button small" data-testid="vision-cancel" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="button" className="button small primary" data-testid="vision-send-anyway" onClick={props.onSendAnyway}>
        Send anyway
      </button>
    </div>
  )
}
