import { forwardRef, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { Virtuoso, type ItemProps, type ListProps, type VirtuosoHandle } from 'react-virtuoso'
import { sessionRun } from '../activity/session-activity'
import type { SessionRow } from '../db/schema'
import { focusComposer } from '../composer/focus-composer'
import { useActivity, useParley } from '../parley-context'
import { ThemeButton } from '../look/ThemeButton'
import { Icon } from '../ui/icons'
import { useCommandHandlers } from '../commands/use-commands'
import { deleteWithUndo } from './delete-with-undo'
import { renameChat } from './rename-chat'
import { SessionItem, untitled } from './SessionItem'
import { filterByTitle, filterTerms, titleMatches } from './title-filter'
import { rowAfterKey } from './list-keys'
import { neighbourOf } from './selection'
import { isUnseen } from './unseen'
import { isMac } from '../commands/platform'
import { shortcutText } from '../commands/registry'

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

/** Defined once, outside the sidebar: Virtuoso remounts parts whose identity changes. */
const listParts = {
  List: forwardRef<HTMLUListElement, ListProps>(function SessionRows(props, ref) {
    return <ul {...props} ref={ref} />
  }),
  Item: function SessionRowPlace({ item: _item, ...props }: ItemProps<SessionRow>): JSX.Element {
    return <li {...props} />
  }
}

const rowKey = (_index: number, session: SessionRow): string => session.id

/** A row's height in px, about (33 measured), a little under so that a guess from it covers the window. */
const ROW_HEIGHT_GUESS = 30

/**
 * How many rows the list draws in its first commit, before it has measured anything: as many as the window's height
 * could show. Without it Virtuoso draws none until its viewport is measured, a render and a frame later. Builds taken
 * in turn: 50,000 chats' first rows painted at 311 ms against 349 (medians of 12 loads each; 20,000 chats: 328 against 352).
 */
export function firstRowsDrawn(count: number, windowHeight: number): number {
  return Math.min(count, Math.ceil(windowHeight / ROW_HEIGHT_GUESS))
}

/**
 * The chats, most recently active first: a pulsing dot on those answering now, a steady one on unseen answers. Only the
 * rows in view (and a margin) are drawn (react-virtuoso), so 50,000 chats cost what a screenful does; a box at the top
 * filters them by title.
 */
export function Sidebar(props: SidebarProps): JSX.Element {
  const { api, notices, deletes } = useParley()
  const activity = useActivity()
  const commands = useCommandHandlers()
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const shown = useMemo(() => (props.sessions ? filterByTitle(props.sessions, deferredQuery) : undefined), [props.sessions, deferredQuery])
  const filterRef = useRef<HTMLInputElement>(null)
  const listRef = useRef<VirtuosoHandle>(null)
  const scrollerRef = useRef<HTMLElement | null>(null)
  const asideRef = useRef<HTMLElement>(null)
  const newChatRef = useRef<HTMLButtonElement>(null)

  // Hidden while it holds the focus (Ctrl+B, or the window narrowed): the focus goes to the composer, not the page.
  // A layout effect's cleanup runs while the sidebar is still in the page, where the focus can be seen inside it.
  useLayoutEffect(() => {
    const aside = asideRef.current
    return () => {
      if (aside?.contains(aside.ownerDocument.activeElement)) focusComposer(aside.ownerDocument)
    }
  }, [])

  // The rows' callbacks are made once and read the newest props, so a memoised row never redraws for a new function.
  const latest = useRef(props)
  latest.current = props
  const latestShown = useRef(shown)
  latestShown.current = shown
  const onSelect = useCallback((id: string) => latest.current.onSelect(id), [])
  const onRename = useCallback((id: string, title: string) => renameChat({ api, notices }, id, title), [api, notices])
  const onDelete = useCallback(
    (session: SessionRow) => {
      // The row goes with the focus in its confirm: the focus goes first to the row that takes its place (the one
      // below, else the one above), or New chat when it was the last one shown; not to the page.
      const neighbour = neighbourOf(latestShown.current?.map((row) => row.id) ?? [], session.id)
      const drawn = Array.from(scrollerRef.current?.querySelectorAll<HTMLElement>('.session-item') ?? [])
      const row = drawn.find((item) => item.dataset['sessionId'] === neighbour)?.querySelector<HTMLElement>('.session-open')
      const next = row ?? newChatRef.current
      next?.focus()
      latest.current.onDeleted(session.id)
      const entry = { kind: 'chat', id: session.id, sessionId: session.id, title: session.title ?? untitled } as const
      deleteWithUndo({ deletes, notices }, entry, () => api.deleteSession(session.id))
    },
    [api, deletes, notices]
  )

  // A chat opened that the filter hides (a new one, Ctrl+N; one opened from Ctrl+K): the filter is cleared, so the
  // chat open is always in the list. Checked once per opening, when its row is in (a new chat's comes a moment after).
  const openedToCheck = useRef(props.selectedId)
  useEffect(() => {
    openedToCheck.current = props.selectedId
  }, [props.selectedId])
  useEffect(() => {
    const row = openedToCheck.current === undefined ? undefined : props.sessions?.find((session) => session.id === openedToCheck.current)
    if (!row) return
    openedToCheck.current = undefined
    if (query !== '' && !titleMatches(row, filterTerms(query))) setQuery('')
  }, [props.selectedId, props.sessions, query])

  const { focusFilter, onFilterFocused } = props
  useEffect(() => {
    if (focusFilter === 0) return
    filterRef.current?.focus()
    filterRef.current?.select()
    onFilterFocused()
  }, [focusFilter, onFilterFocused])

  /** Moves the focus to the row at `index`, scrolling it into view first when it isn't drawn. */
  const focusRow = useCallback((index: number) => {
    const button = (): HTMLElement | null | undefined =>
      scrollerRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] .session-open`)
    listRef.current?.scrollIntoView({ index, done: () => button()?.focus() })
    button()?.focus()
  }, [])

  const onListKey = (event: KeyboardEvent<HTMLElement>): void => {
    const count = shown?.length ?? 0
    const place = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')
    if (count === 0 || !place || !(event.target as HTMLElement).classList.contains('session-open')) return
    const next = rowAfterKey(event.key, Number(place.dataset['index']), count)
    if (next === undefined) return
    event.preventDefault()
    focusRow(next)
  }

  const onFilterKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape' && query !== '') {
      // Esc clears the filter only; it must not reach the window (where it would stop an answer).
      event.preventDefault()
      event.stopPropagation()
      setQuery('')
    } else if (event.key === 'ArrowDown' && shown && shown.length > 0) {
      event.preventDefault()
      focusRow(0)
    } else if (event.key === 'Enter' && shown?.[0]) {
      props.onSelect(shown[0].id)
    }
  }

  return (
    <aside ref={asideRef} className={props.narrow ? 'sidebar narrow' : 'sidebar'} aria-label="Chats" data-testid="sidebar">
      <div className="sidebar-head">
        <span className="brand">Parley</span>
        <button
          type="button"
          ref={newChatRef}
          className="button new-session"
          data-testid="new-session"
          title={`New chat (${shortcutText('new-chat')})`}
          aria-keyshortcuts={isMac() ? 'Meta+N' : 'Control+N'}
          onClick={props.onNewSession}
        >
          <Icon name="plus" size="small" />
          New chat
        </button>
      </div>
      <div className="session-filter-box">
        <input
          ref={filterRef}
          type="search"
          className="session-filter"
          data-testid="session-filter"
          aria-label="Filter chats by title"
          aria-keyshortcuts={isMac() ? 'Meta+Shift+F' : 'Control+Shift+F'}
          placeholder="Filter chats"
          value={query}
          maxLength={200}
          onChange={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={onFilterKey}
        />
      </div>
      <nav className="session-list" data-testid="session-list" data-loaded={props.sessions ? 'true' : 'false'} onKeyDown={onListKey}>
        {props.sessions && props.sessions.length === 0 ? <p className="session-list-empty">No chats yet.</p> : null}
        {props.sessions && props.sessions.length > 0 && shown?.length === 0 ? (
          <p className="session-list-empty" data-testid="session-filter-empty">
            No chats match “{deferredQuery.trim()}”.
          </p>
        ) : null}
        {shown && shown.length > 0 ? (
          <Virtuoso<SessionRow>
            ref={listRef}
            scrollerRef={(element) => (scrollerRef.current = element instanceof HTMLElement ? element : null)}
            className="session-rows"
            data={shown}
            computeItemKey={rowKey}
            components={listParts}
            increaseViewportBy={{ top: 200, bottom: 400 }}
            initialItemCount={firstRowsDrawn(shown.length, window.innerHeight)}
            itemContent={(_index, session) => (
              <SessionItem
                session={session}
                selected={session.id === props.selectedId}
                busy={sessionRun(activity, session.id).busy}
                unseen={isUnseen(session)}
                onSelect={onSelect}
                onRename={onRename}
                onDelete={onDelete}
              />
            )}
          />
        ) : null}
      </nav>
      <div className="sidebar-foot">
        <button type="button" className="button ghost" data-testid="settings-button" onClick={props.onOpenSettings}>
          <Icon name="gear" />
          Settings
        </button>
        <button
          type="button"
          className="button ghost"
          data-testid="import-button"
          title="Import chats: a Parley export or ChatGPT's conversations.json"
          onClick={() => commands.run('import-chats')}
        >
          Import
        </button>
        <ThemeButton />
      </div>
    </aside>
  )
}
