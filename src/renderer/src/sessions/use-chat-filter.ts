import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import type { SessionRow } from '../db/schema'
import { filterByTitle, filterTerms, titleMatches } from './title-filter'

export interface ChatFilter {
  /** What the box holds. */
  query: string
  setQuery: (query: string) => void
  /** The query the rows are filtered by: it follows the box a render behind while the list is redrawn (useDeferredValue). */
  shownQuery: string
  /** The chats that match, most recently active first; undefined until the first screenful is read. */
  shown: readonly SessionRow[] | undefined
}

/**
 * The sidebar's title filter. A chat opened that the filter hides (a new one, Ctrl+N; one opened from Ctrl+K) clears
 * it, so the chat open is always in the list: checked once per opening, when its row is in (a new chat's comes a
 * moment after), so typing a filter that hides the open chat leaves it as typed.
 */
export function useChatFilter(sessions: readonly SessionRow[] | undefined, selectedId: string | undefined): ChatFilter {
  const [query, setQuery] = useState('')
  const shownQuery = useDeferredValue(query)
  const shown = useMemo(() => (sessions ? filterByTitle(sessions, shownQuery) : undefined), [sessions, shownQuery])

  const openedToCheck = useRef(selectedId)
  useEffect(() => {
    openedToCheck.current = selectedId
  }, [selectedId])
  useEffect(() => {
    const row = openedToCheck.current === undefined ? undefined : sessions?.find((session) => session.id === openedToCheck.current)
    if (!row) return
    openedToCheck.current = undefined
    if (query !== '' && !titleMatches(row, filterTerms(query))) setQuery('')
  }, [selectedId, sessions, query])

  return { query, setQuery, shownQuery, shown }
}
