import { useEffect, useRef, type JSX, type KeyboardEvent, type ReactNode } from 'react'
import { paletteKey } from './palette-keys'
import { useModalFocus } from './use-modal-focus'

export interface PaletteDialogProps {
  /** The dialog's accessible name, and its test id. */
  label: string
  testId: string
  /** A class beside `modal palette`, for the list's own looks. */
  className?: string
  placeholder: string
  inputLabel: string
  /** The list's element id, and the chosen option's (none: nothing to choose). */
  listId: string
  chosenId: string | undefined
  query: string
  onQuery: (query: string) => void
  /** How many choices there are, and which is chosen: Up and Down move it (wrapping). */
  count: number
  at: number
  onMove: (to: number) => void
  /** Enter: the chosen choice is taken. */
  onChoose: () => void
  onClose: () => void
  /** The list (and any note above it), under the box. */
  children: ReactNode
}

/**
 * A palette: a modal box above a list of choices, typed into at once (the command palette, search). Esc or a click
 * outside closes it, Enter chooses, Up and Down move; focus stays inside while it is open and goes back after.
 */
export function PaletteDialog(props: PaletteDialogProps): JSX.Element {
  const input = useRef<HTMLInputElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  useModalFocus(dialog, props.onClose)
  useEffect(() => input.current?.focus(), [])

  const onKeyDown = (event: KeyboardEvent): void => {
    const action = paletteKey(event.key, props.at, props.count)
    if (!action) return
    event.preventDefault()
    if (action.kind === 'close') props.onClose()
    else if (action.kind === 'choose') props.onChoose()
    else props.onMove(action.to)
  }

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <div
        ref={dialog}
        className={props.className ? `modal palette ${props.className}` : 'modal palette'}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        data-testid={props.testId}
      >
        <input
          ref={input}
          className="palette-input"
          placeholder={props.placeholder}
          aria-label={props.inputLabel}
          role="combobox"
          aria-expanded="true"
          aria-controls={props.listId}
          aria-activedescendant={props.chosenId}
          value={props.query}
          onChange={(event) => props.onQuery(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {props.children}
      </div>
    </div>
  )
}
