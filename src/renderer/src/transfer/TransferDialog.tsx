import { useRef, type JSX } from 'react'
import { useModalFocus } from '../ui/use-modal-focus'

/** What the transfer dialog shows: work under way, what an import did, or why nothing was done. */
export type TransferState =
  | { kind: 'idle' }
  | { kind: 'working'; text: string }
  | { kind: 'done'; text: string }
  | { kind: 'refused'; text: string; problems: readonly string[] }

/**
 * The export and import dialog: a modal like the others (`useModalFocus`: Tab stays inside, Esc closes it from
 * anywhere, the focus goes back where it was), which can't be closed while work is under way.
 */
export function TransferDialog(props: { state: Exclude<TransferState, { kind: 'idle' }>; onClose: () => void }): JSX.Element {
  const { state, onClose } = props
  const busy = state.kind === 'working'
  const dialog = useRef<HTMLDivElement>(null)
  useModalFocus(dialog, () => !busy && onClose())
  return (
    <div className="modal-backdrop" onMouseDown={(event) => !busy && event.target === event.currentTarget && onClose()}>
      <div ref={dialog} className="modal transfer-dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title" data-testid="transfer-dialog">
        <div className="modal-head">
          <h2 id="transfer-title">{state.kind === 'refused' ? 'Nothing was imported' : 'Export and import'}</h2>
          {busy ? null : (
            <button type="button" className="button" autoFocus onClick={onClose} data-testid="transfer-close">
              Close
            </button>
          )}
        </div>
        <p data-testid="transfer-status" role="status">
          {state.text}
        </p>
        {state.kind === 'refused' ? (
          <ul className="transfer-problems" data-testid="import-problems">
            {state.problems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  )
}
