import { useCallback, useRef, type JSX } from 'react'
import type { SessionRow } from '../db/schema'
import { useParley } from '../parley-context'
import { deleteWithUndo } from './delete-with-undo'
import { renameChat } from './rename-chat'
import { untitled } from './SessionItem'
import { SessionFilter } from './SessionFilter'
import { SessionRows } from './SessionRows'
import { neighbourOf } from './selection'
import { SidebarFoot } from './SidebarFoot'
import { SidebarHead } from './SidebarHead'
import { useChatFilter } from './use-chat-filter'
import { useFocusOutOnHide } from './use-focus-out-on-hide'
import { useRowFocus } from './use-row-focus'

export interface SidebarProps {
  /** Most recently active first; undefined until the first screenful is read. */
  sessions: readonly SessionRow[] | undefined
  selectedId: string | undefined
  /** A narrow window: the sidebar covers the chat. */
  narrow: boolean
  /** More than 0: the filter box was asked for (Ctrl+Shift+F); it takes the focus and says so with `onFilterFocused`. */
  focusFilter: number
  onFilterFocused: () => void
  onSelect: (sessionId: string) => void
  onNewSession: () => void
  onDeleted: (sessionId: string) => void
  onOpenSettings: () => void
}

/**
 * The chats, most recently active first, filtered by title from a box at the top; only the rows in view are drawn
 * (SessionRows.tsx), so 50,000 chats cost what a screenful does.
 */
export function Sidebar(props: SidebarProps): JSX.Element {
  const { api, notices, deletes } = useParley()
  const filter = useChatFilter(props.sessions, props.selectedId)
  const { shown } = filter
  const rows = useRowFocus()
  const asideRef = useRef<HTMLElement>(null)
  const newChatRef = useRef<HTMLButtonElement>(null)
  // Hidden while it holds the focus (Ctrl+B, or the window narrowed): the focus goes to the composer, not the page.
  useFocusOutOnHide(asideRef)

  // The rows' callbacks are made once and read the newest props, so a memoised row never redraws for a new function.
  const latest = useRef(props)
  latest.current = props
  const latestShown = useRef(shown)
  latestShown.current = shown
  const onSelect = useCallback((id: string) => latest.current.onSelect(id), [])
  const onRename = useCallback((id: string, title: string) => renameChat({ api, notices }, id, title), [api, notices])
  const { scroller } = rows
  const onDelete = useCallback(
    (session: SessionRow) => {
      // The row goes with the focus in its confirm: the focus goes first to the row that takes its place (the one
      // below, else the one above), or New chat when it was the last one shown; not to the page.
      const neighbour = neighbourOf(latestShown.current?.map((row) => row.id) ?? [], session.id)
      const drawn = Array.from(scroller.current?.querySelectorAll<HTMLElement>('.session-item') ?? [])
      const row = drawn.find((item) => item.dataset['sessionId'] === neighbour)?.querySelector<HTMLElement>('.session-open')
      const next = row ?? newChatRef.current
      next?.focus()
      latest.current.onDeleted(session.id)
      const entry = { kind: 'chat', id: session.id, sessionId: session.id, title: session.title ?? untitled } as const
      deleteWithUndo({ deletes, notices }, entry, () => api.deleteSession(session.id))
    },
    [api, deletes, notices, scroller]
  )

  return (
    <aside ref={asideRef} className={props.narrow ? 'sidebar narrow' : 'sidebar'} aria-label="Chats" data-testid="sidebar">
      <SidebarHead newChatRef={newChatRef} onNewSession={props.onNewSession} />
      <SessionFilter
        query={filter.query}
        onQuery={filter.setQuery}
        firstMatch={shown?.[0]?.id}
        onOpen={props.onSelect}
        onIntoRows={() => rows.focusRow(0)}
        focusFilter={props.focusFilter}
        onFocused={props.onFilterFocused}
      />
      <nav
        className="session-list"
        data-testid="session-list"
        data-loaded={props.sessions ? 'true' : 'false'}
        onKeyDown={(event) => rows.onListKey(event, shown?.length ?? 0)}
      >
        {props.sessions && props.sessions.length === 0 ? <p className="session-list-empty">No chats yet.</p> : null}
        {props.sessions && props.sessions.length > 0 && shown?.length === 0 ? (
          <p className="session-list-empty" data-testid="session-filter-empty">
            No chats match “{filter.shownQuery.trim()}”.
          </p>
        ) : null}
        {shown && shown.length > 0 ? (
          <SessionRows
            rows={shown}
            selectedId={props.selectedId}
            list={rows.list}
            scroller={scroller}
            onSelect={onSelect}
            onRename={onRename}
            onDelete={onDelete}
          />
        ) : null}
      </nav>
      <SidebarFoot onOpenSettings={props.onOpenSettings} />
    </aside>
  )
}
