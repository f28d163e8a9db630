import { useEffect, useRef, type JSX, type KeyboardEvent } from 'react'
import { isMac } from '../commands/platform'

export interface SessionFilterProps {
  query: string
  onQuery: (query: string) => void
  /** The first chat that matches, if any: Enter opens it, Down moves the focus to its row (`onIntoRows`). */
  firstMatch: string | undefined
  onOpen: (sessionId: string) => void
  onIntoRows: () => void
  /** More than 0: the box was asked for (Ctrl+Shift+F); it takes the focus and says so with `onFocused`. */
  focusFilter: number
  onFocused: () => void
}

/** The box at the top of the sidebar that filters the chats by title: Esc clears it, Enter opens the first match. */
export function SessionFilter(props: SessionFilterProps): JSX.Element {
  const { query, onQuery, focusFilter, onFocused } = props
  const box = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (focusFilter === 0) return
    box.current?.focus()
    box.current?.select()
    onFocused()
  }, [focusFilter, onFocused])

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape' && query !== '') {
      // Esc clears the filter only; it must not reach the window (where it would stop an answer).
      event.preventDefault()
      event.stopPropagation()
      onQuery('')
    } else if (event.key === 'ArrowDown' && props.firstMatch !== undefined) {
      event.preventDefault()
      props.onIntoRows()
    } else if (event.key === 'Enter' && props.firstMatch !== undefined) {
      props.onOpen(props.firstMatch)
    }
  }

  return (
    <div className="session-filter-box">
      <input
        ref={box}
        type="search"
        className="session-filter"
        data-testid="session-filter"
        aria-label="Filter chats by title"
        aria-keyshortcuts={isMac() ? 'Meta+Shift+F' : 'Control+Shift+F'}
        placeholder="Filter chats"
        value={query}
        maxLength={200}
        onChange={(event) => onQuery(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  )
}
