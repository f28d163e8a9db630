import type { JSX } from 'react'

/**
 * Under a box whose text is over main's limit (the composer's, the edit box's): what is wrong, and "Attach it as a
 * file". An alert: the caller draws it anew (a new `key`) at each refused send, so a screen reader reads it again.
 */
export function LongPromptNotice(props: { text: string; id?: string; testId: string; buttonTestId: string; onAttach: () => void }): JSX.Element {
  return (
    <div id={props.id} className="long-prompt" role="alert" data-testid={props.testId}>
      <p>{props.text}</p>
      <button type="button" className="button small primary" data-testid={props.buttonTestId} onClick={props.onAttach}>
        Attach it as a file
      </button>
    </div>
  )
}
