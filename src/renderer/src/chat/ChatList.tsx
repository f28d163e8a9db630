import { useCallback, useEffect, useMemo, useRef, type JSX } from 'react'
import { Virtuoso } from 'react-virtuoso'
import type { ProviderTrouble, QueuedPrompt } from '../../../shared'
import { sessionRun, waitingInChat, type RunRetry } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import { endOfPageAbove, startOfPageBelow, type WindowPage } from '../db/message-pages'
import type { MessageRow } from '../db/schema'
import { useActivity, useDeletedIds, useParley } from '../parley-context'
import { currentBranch, withoutDeleted, type BranchItem } from './branch'
import { AwaitedAnswer, WaitingPrompt } from './ChatListEnd'
import { afterOwnJump, afterScroll, bottomSlack, followingFromStart, seeksPast, type Following } from './follow-bottom'
import { MessageBubble } from './MessageBubble'
import { chatLimits, nextFirstIndex, prefetchMessages, withNewer, withOlder, type ChatWindow } from './message-window'
import { useChatCommands } from './use-chat-commands'

/** Virtuoso counts prepended items down from here (its firstItemIndex must stay positive). */
const firstIndexBase = 1_000_000

function EmptyChat(): JSX.Element {
  return (
    <div className="chat-empty">
      <p className="chat-empty-title">Start a conversation</p>
      <p>Type a prompt below. Enter sends it, Shift+Enter adds a line.</p>
    </div>
  )
}

/**
 * Keeps the list at the bottom while an answer grows in place. followOutput only reacts to new items, and the
 * list's own at-bottom state turns false as soon as the content grows, so "following" is decided here from the
 * reader's scrolling alone (chat/follow-bottom.ts): it stops when they scroll up and resumes when they come back down.
 */
function useFollowBottom(): { scrollerRef: (element: HTMLElement | Window | null) => void; grown: () => void; seek: typeof scrollSeek } {
  const scroller = useRef<HTMLElement | null>(null)
  const state = useRef<Following>(followingFromStart)
  const onScroll = useCallback(() => {
    const element = scroller.current
    if (element) state.current = afterScroll(state.current, element)
  }, [])
  const scrollerRef = useCallback(
    (element: HTMLElement | Window | null) => {
      scroller.current?.removeEventListener('scroll', onScroll)
      scroller.current = element instanceof HTMLElement ? element : null
      scroller.current?.addEventListener('scroll', onScroll, { passive: true })
    },
    [onScroll]
  )
  const grown = useCallback(() => {
    const element = scroller.current
    if (!element || !state.current.following) return
    element.scrollTop = element.scrollHeight
    state.current = afterOwnJump(state.current, element.scrollTop)
  }, [])
  const seek = useMemo(() => ({ enter: (velocity: number) => seeksPast(velocity, state.current), exit: scrollSeek.exit }), [])
  return { scrollerRef, grown, seek }
}

interface ListContext {
  /** Whether the list shows the chat's live end (what waits and streams is drawn after it only then). */
  live: boolean
  awaiting: boolean
  retry: RunRetry | undefined
  /** Prompts of this chat that ran once and wait for the provider (C3, C6): their answers will come here. */
  waiting: readonly QueuedPrompt[]
  /** Why they wait: the provider can't be reached, or it is loading the model. */
  reason: ProviderTrouble
}

/**
 * A fast scroll (a fling, the scrollbar dragged, End or Home) passes over messages in placeholders of their size and
 * draws them once it slows: drawing a dozen answers' markdown in every frame held each frame up for 100 ms or more.
 * Velocity is pixels per 100 ms: reading with a wheel stays under 300; entering takes 8,000 px a second. A list that
 * follows the bottom never enters (`seeksPast`): each list's own `enter` reads its following state.
 */
export const scrollSeek = {
  enter: (velocity: number): boolean => seeksPast(velocity, { following: false, lastTop: 0 }),
  exit: (velocity: number): boolean => Math.abs(velocity) < 100
}

/** Defined once, outside the view: Virtuoso remounts parts whose identity changes. */
const listParts = {
  ScrollSeekPlaceholder: ({ height }: { height: number }): JSX.Element => (
    <div className="message-row message-placeholder" style={{ height }} data-testid="message-placeholder" aria-hidden="true" />
  ),
  Footer: ({ context }: { context?: ListContext }): JSX.Element | null =>
    context?.live === false ? null : (
    <div className="message-row chat-list-end">
      {context?.waiting.map((prompt) => <WaitingPrompt key={prompt.runId} prompt={prompt} reason={context.reason} />)}
      {context?.awaiting ? <AwaitedAnswer retry={context.retry} /> : null}
    </div>
    )
}

/**
 * Virtuoso's `firstItemIndex`: down as items appear above the first one, up as the window drops its oldest (see
 * `nextFirstIndex`). Kept per list: a list opened at a message starts from the base again.
 */
function useFirstIndex(items: readonly BranchItem<MessageRow>[]): number {
  const ids = useMemo(() => items.map((item) => item.message.id), [items])
  const state = useRef({ ids: [] as readonly string[], firstIndex: firstIndexBase })
  if (state.current.ids !== ids) state.current = { ids, firstIndex: nextFirstIndex(state.current, ids, firstIndexBase) }
  return state.current.firstIndex
}

/** Where a list opens: at the message opened at, or at the bottom of the last one. */
type OpeningPlace = { index: number; align: 'center' | 'end' }

/**
 * Where the list opens, fixed when it first has rows (not when the view mounted: a chat opened before its messages
 * had been copied into IndexedDB got its rows a moment later, and then opened at its top). `rows` keys the list.
 */
function useOpeningPlace(count: number, targetAt: number): { rows: boolean; place: OpeningPlace } {
  const rows = count > 0
  const opening = useRef<{ rows: boolean; place: OpeningPlace } | undefined>(undefined)
  if (opening.current?.rows !== rows) {
    opening.current = { rows, place: targetAt >= 0 ? { index: targetAt, align: 'center' } : { index: Math.max(0, count - 1), align: 'end' } }
  }
  return opening.current
}

/** Where the view is: the window it reads, and what the list opened on (the end, or a message, which it marks). */
export type Focus = { kind: 'end'; serial: number } | { kind: 'message'; messageId: string; serial: number }

export interface ViewState {
  chat: ChatWindow
  focus: Focus
}


export function ChatList(props: {
  sessionId: string
  page: WindowPage
  view: ViewState
  setView: (update: (state: ViewState) => ViewState) => void
}): JSX.Element {
  const { sessionId, page, view, setView } = props
  const { db } = useParley()
  const activity = useActivity()
  const run = sessionRun(activity, sessionId)
  const waiting = waitingInChat(activity, sessionId)
  const deleted = useDeletedIds()
  const branch = useMemo(() => {
    const shown = withoutDeleted(page.messages, page.branchLeafId, deleted)
    return currentBranch(shown.rows, shown.leafId)
  }, [page, deleted])
  const firstIndex = useFirstIndex(branch)
  const editRequest = useChatCommands(branch)
  const live = view.chat.window.end.kind === 'leaf'

  const shown = useMemo(
    () => ({ rows: page.messages, branch: branch.map((item) => ({ id: item.message.id, createdAt: item.message.createdAt })) }),
    [page, branch]
  )
  // One page request per edge at a time: the one asked for is remembered until the window it makes is read.
  const asked = useRef<{ older?: number; newer?: number }>({})
  const loadOlder = useCallback(() => {
    if (!page.hasOlder || asked.current.older === page.start) return
    asked.current.older = page.start
    startOfPageBelow(db, sessionId, page.start, chatLimits.page, true)
      .then((start) => setView((state) => ({ ...state, chat: withOlder(state.chat, start, shown, chatLimits) })))
      .catch(() => (asked.current.older = undefined))
  }, [db, sessionId, page, shown, setView])
  const loadNewer = useCallback(() => {
    if (!page.hasNewer || asked.current.newer === page.endAt) return
    asked.current.newer = page.endAt
    endOfPageAbove(db, sessionId, page.endAt, chatLimits.page)
      .then((endAt) => setView((state) => ({ ...state, chat: withNewer(state.chat, endAt, shown, chatLimits) })))
      .catch(() => (asked.current.newer = undefined))
  }, [db, sessionId, page, shown, setView])

  // Only in the direction the reader moves: the list's first ranges, as it opens at a message, ask for nothing.
  const lastRange = useRef<{ startIndex: number; endIndex: number } | undefined>(undefined)
  const prefetch = useCallback(
    (range: { startIndex: number; endIndex: number }) => {
      const before = lastRange.current
      lastRange.current = range
      if (!before) return
      if (range.startIndex < before.startIndex && range.startIndex - firstIndex < prefetchMessages) loadOlder()
      if (range.endIndex > before.endIndex && firstIndex + branch.length - 1 - range.endIndex < prefetchMessages) loadNewer()
    },
    [firstIndex, branch.length, loadOlder, loadNewer]
  )

  const awaiting =
    live && run.busy && !page.messages.some((message) => message.role === 'assistant' && message.runId === run.activeRunId)

  const follow = useFollowBottom()
  // The window's first chat drawn: the start-up figure's end (main.tsx marks its steps before it).
  useEffect(() => {
    if (performance.getEntriesByName('parley:chat-shown').length === 0) performance.mark('parley:chat-shown')
  }, [])
  const focus = view.focus
  const targetAt = focus.kind === 'message' ? branch.findIndex((item) => item.message.id === focus.messageId) : -1
  // A chat opens at its very end, the bottom of its last message however tall, where the next answer will grow.
  const initialTop = useOpeningPlace(branch.length, targetAt)

  if (branch.length === 0 && !awaiting && waiting.length === 0) return <EmptyChat />
  const retry = run.retry?.runId === run.activeRunId ? run.retry : undefined
  const targetedId = focus.kind === 'message' ? focus.messageId : undefined

  return (
    <Virtuoso<BranchItem<MessageRow>, ListContext>
      // Drawn anew when its first rows come (a chat opened while its history was still being copied in, or empty):
      // Virtuoso takes its opening place only as it mounts.
      key={initialTop.rows ? 'rows' : 'empty'}
      scrollerRef={follow.scrollerRef}
      className="chat-list"
      data={branch}
      firstItemIndex={firstIndex}
      initialTopMostItemIndex={initialTop.place}
      computeItemKey={(_, item) => item.message.id}
      itemContent={(_, item) => (
        <div className={item.message.id === targetedId ? 'message-row message-targeted' : 'message-row'}>
          <MessageBubble
            message={item.message}
            siblings={item.siblings}
            index={item.index}
            editRequest={editRequest?.messageId === item.message.id ? editRequest.count : 0}
          />
        </div>
      )}
      // The reader's own new prompt always brings the list down; others only if it was already at the bottom.
      followOutput={(isAtBottom) => (live && (isAtBottom || branch.at(-1)?.message.role === 'user') ? 'auto' : false)}
      atBottomThreshold={bottomSlack}
      totalListHeightChanged={live ? follow.grown : undefined}
      startReached={loadOlder}
      endReached={loadNewer}
      // The next page is read while the reader, moving towards an edge, is still a screen or more from it.
      rangeChanged={prefetch}
      increaseViewportBy={{ top: 400, bottom: 400 }}
      scrollSeekConfiguration={follow.seek}
      context={{ live, awaiting, retry, waiting: live ? waiting : [], reason: waitReason(activity) }}
      components={listParts}
    />
  )
}
