import { forwardRef, useCallback, type JSX, type RefObject } from 'react'
import { Virtuoso, type ItemProps, type ListProps, type VirtuosoHandle } from 'react-virtuoso'
import { sessionRun } from '../activity/session-activity'
import type { SessionRow } from '../db/schema'
import { useActivity } from '../parley-context'
import { SessionItem } from './SessionItem'
import { isUnseen } from './unseen'

/** Defined once, outside the list: Virtuoso remounts parts whose identity changes. */
const listParts = {
  List: forwardRef<HTMLUListElement, ListProps>(function RowList(props, ref) {
    return <ul {...props} ref={ref} />
  }),
  Item: function RowPlace({ item: _item, ...props }: ItemProps<SessionRow>): JSX.Element {
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

export interface SessionRowsProps {
  /** The chats shown (at least one), most recently active first. */
  rows: readonly SessionRow[]
  selectedId: string | undefined
  /** The list's handle and its scroller, for moving the focus between rows (use-row-focus.ts). */
  list: RefObject<VirtuosoHandle | null>
  scroller: RefObject<HTMLElement | null>
  /** Made once by the sidebar, so a memoised row never redraws for a new function. */
  onSelect: (sessionId: string) => void
  onRename: (sessionId: string, title: string) => void
  onDelete: (session: SessionRow) => void
}

/**
 * The sidebar's rows: a pulsing dot on chats answering now, a steady one on unseen answers. Only the rows in view (and a
 * margin) are drawn (react-virtuoso), so 50,000 chats cost what a screenful does.
 */
export function SessionRows(props: SessionRowsProps): JSX.Element {
  const activity = useActivity()
  const { rows, scroller } = props
  // One function for the list's life: Virtuoso re-runs its scroller's effect when this changes, and that effect reads
  // the scroller's scrollTop and scrollHeight, laying the whole page out in the middle of a commit (a new function each
  // render cost a streaming answer's commits up to 21 ms of forced layout, the sidebar re-rendering as the run went).
  const scrollerRef = useCallback((element: HTMLElement | Window | null) => (scroller.current = element instanceof HTMLElement ? element : null), [scroller])
  return (
    <Virtuoso<SessionRow>
      ref={props.list}
      scrollerRef={scrollerRef}
      className="session-rows"
      data={rows}
      computeItemKey={rowKey}
      components={listParts}
      increaseViewportBy={{ top: 200, bottom: 400 }}
      initialItemCount={firstRowsDrawn(rows.length, window.innerHeight)}
      itemContent={(_index, session) => (
        <SessionItem
          session={session}
          selected={session.id === props.selectedId}
          busy={sessionRun(activity, session.id).busy}
          unseen={isUnseen(session)}
          onSelect={props.onSelect}
          onRename={props.onRename}
          onDelete={props.onDelete}
        />
      )}
    />
  )
}
