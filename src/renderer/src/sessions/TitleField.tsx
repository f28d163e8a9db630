import { useId, useLayoutEffect, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { emptyTitleHint, titleEdit } from './title-edit'

/**
 * The field that renames a chat in place (its sidebar row, the chat's header): Enter or a click elsewhere keeps the
 * title typed, Esc keeps the old one. An empty title is refused: Enter leaves the field open and says why under it (a
 * click elsewhere keeps the old title).
 */
export function TitleField(props: {
  /** The title now: the field starts with it, all selected, so typing replaces it. */
  current: string
  placeholder?: string
  className: string
  onRename: (title: string) => void
  /** The field is done with; `byKey` when Enter or Esc ended it (the focus goes back), not a click elsewhere. */
  onClose: (byKey: boolean) => void
}): JSX.Element {
  const { current, onRename, onClose } = props
  const [typed, setTyped] = useState(current)
  // Each Enter refused draws the hint anew, so a screen reader reads it again.
  const [refusals, setRefusals] = useState(0)
  const field = useRef<HTMLInputElement>(null)
  // The field may lose the focus as it goes: what it ended with is sent once.
  const closed = useRef(false)
  const hintId = useId()
  useLayoutEffect(() => field.current?.select(), [])

  const blank = typed.trim() === ''
  const hinted = blank && (typed !== current || refusals > 0)

  const finish = (byKey: boolean): void => {
    const edit = titleEdit(typed, current)
    closed.current = true
    onClose(byKey)
    if (edit.kind === 'rename') onRename(edit.title)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault()
      if (blank) setRefusals((count) => count + 1)
      else finish(true)
    } else if (event.key === 'Escape') {
      // Esc cancels the rename only; it must not reach the window (where it would stop an answer).
      event.preventDefault()
      event.stopPropagation()
      closed.current = true
      onClose(true)
    }
  }

  const onBlur = (): void => {
    if (!closed.current) finish(false)
  }

  return (
    <>
      <input
        ref={field}
        className={props.className}
        aria-label="Chat title"
        aria-invalid={hinted}
        aria-describedby={hinted ? hintId : undefined}
        value={typed}
        placeholder={props.placeholder}
        maxLength={500}
        autoFocus
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      {hinted ? (
        <span key={refusals} id={hintId} className="title-hint" role="alert" data-testid="title-hint">
          {emptyTitleHint}
        </span>
      ) : null}
    </>
  )
}
