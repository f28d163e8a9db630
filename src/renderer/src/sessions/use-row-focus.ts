import { useCallback, useRef, type KeyboardEvent, type RefObject } from 'react'
import type { VirtuosoHandle } from 'react-virtuoso'
import { rowAfterKey } from './list-keys'

export interface RowFocus {
  /** The virtual list's handle, for scrolling a row into view. */
  list: RefObject<VirtuosoHandle | null>
  /** The list's scroller, where the drawn rows are. */
  scroller: RefObject<HTMLElement | null>
  /** Moves the focus to the row at `index`, scrolling it into view first when it isn't drawn. */
  focusRow: (index: number) => void
  /** The list's keys (list-keys.ts) for the `count` rows shown, pressed on a row's open button: Up, Down, Home, End. */
  onListKey: (event: KeyboardEvent<HTMLElement>, count: number) => void
}

/** The focus among the sidebar's rows, drawn or not yet (react-virtuoso draws only those in view). */
export function useRowFocus(): RowFocus {
  const list = useRef<VirtuosoHandle>(null)
  const scroller = useRef<HTMLElement | null>(null)

  const focusRow = useCallback((index: number) => {
    const button = (): HTMLElement | null | undefined => scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"] .session-open`)
    list.current?.scrollIntoView({ index, done: () => button()?.focus() })
    button()?.focus()
  }, [])

  const onListKey = (event: KeyboardEvent<HTMLElement>, count: number): void => {
    const place = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')
    if (count === 0 || !place || !(event.target as HTMLElement).classList.contains('session-open')) return
    const next = rowAfterKey(event.key, Number(place.dataset['index']), count)
    if (next === undefined) return
    event.preventDefault()
    focusRow(next)
  }

  return { list, scroller, focusRow, onListKey }
}
