import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import { Virtuoso } from 'react-virtuoso'
import { sessionRun } from '../activity/session-activity'
import { pageStart, useMessagesFrom } from '../db/queries'
import type { MessageRow } from '../db/schema'
import { errorText } from '../notices/error-text'
import { useActivity, useParley } from '../parley-context'
import { MessageBubble } from './MessageBubble'

/** Messages read per page: the last page on opening a chat, one more each time the reader reaches the top. */
const pageSize = 50

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

/** The answer a busy session owes before its first token arrives (no assistant message exists yet). */
function AwaitedAnswer(): JSX.Element {
  return (
    <div className="message message-assistant message-awaited" data-testid="awaited-answer" aria-live="polite">
      <span className="typing" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="run-state run-state-live">Waiting for the model…</span>
    </div>
  )
}

/** How close to the bottom (px) still counts as reading the latest. */
const bottomSlack = 48

/**
 * Keeps the list at the bottom while an answer grows in place. followOutput only reacts to new items, and the
 * list's own at-bottom state turns false as soon as the content grows, so "following" is decided here from the
 * reader's scrolling alone: it stops when they scroll up and resumes when they come back down.
 */
function useFollowBottom(): { scrollerRef: (element: HTMLElement | Window | null) => void; grown: () => void } {
  const scroller = useRef<HTMLElement | null>(null)
  const following = useRef(true)
  const onScroll = useCallback(() => {
    const element = scroller.current
    if (element) following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= bottomSlack
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
    if (element && following.current) element.scrollTop = element.scrollHeight
  }, [])
  return { scrollerRef, grown }
}

interface ListContext {
  awaiting: boolean
}

/** Defined once, outside the view: Virtuoso remounts parts whose identity changes. */
const listParts = {
  Footer: ({ context }: { context?: ListContext }): JSX.Element => (
    <div className="message-row chat-list-end">{context?.awaiting ? <AwaitedAnswer /> : null}</div>
  )
}

/** One chat's messages in a virtual list that follows the bottom while an answer streams. */
export function ChatView(props: { sessionId: string }): JSX.Element {
  const { sessionId } = props
  const { db, notices } = useParley()
  const run = sessionRun(useActivity(), sessionId)
  const [from, setFrom] = useState<number>()
  const page = useMessagesFrom(db, sessionId, from)
  /** The first message of the first page: how many messages sit above it is how far the list was prepended. */
  const head = useRef<string | undefined>(undefined)
  const loadingOlder = useRef(false)

  useEffect(() => {
    let live = true
    pageStart(db, sessionId, undefined, pageSize).then(
      (start) => live && setFrom(start),
      (error: unknown) =>
        notices.show({
          id: 'storage-read',
          tone: 'error',
          text: `Parley could not read this chat: ${errorText(error)}`,
          dismissible: true
        })
    )
    return () => {
      live = false
    }
  }, [db, sessionId, notices])

  const messages: MessageRow[] = page?.messages ?? []
  if (head.current === undefined && messages[0]) head.current = messages[0].id
  const prepended = head.current ? Math.max(0, messages.findIndex((message) => message.id === head.current)) : 0

  const loadOlder = useCallback(() => {
    if (!page?.hasOlder || from === undefined || loadingOlder.current) return
    loadingOlder.current = true
    pageStart(db, sessionId, from, pageSize)
      .then(setFrom)
      .catch(() => undefined)
      .finally(() => (loadingOlder.current = false))
  }, [db, sessionId, from, page?.hasOlder])

  const awaiting =
    run.busy &&
    !messages.some((message) => message.role === 'assistant' && message.runId === run.activeRunId)

  const follow = useFollowBottom()

  if (!page) return <div className="chat-list" aria-busy="true" />
  if (messages.length === 0 && !awaiting) return <EmptyChat />

  return (
    <Virtuoso<MessageRow, ListContext>
      scrollerRef={follow.scrollerRef}
      className="chat-list"
      data={messages}
      firstItemIndex={firstIndexBase - prepended}
      initialTopMostItemIndex={Math.max(0, messages.length - 1)}
      computeItemKey={(_, message) => message.id}
      itemContent={(_, message) => (
        <div className="message-row">
          <MessageBubble message={message} />
        </div>
      )}
      // The reader's own new prompt always brings the list down; others only if it was already at the bottom.
      followOutput={(isAtBottom) => (isAtBottom || messages.at(-1)?.role === 'user' ? 'auto' : false)}
      atBottomThreshold={48}
      totalListHeightChanged={follow.grown}
      startReached={loadOlder}
      increaseViewportBy={{ top: 400, bottom: 200 }}
      context={{ awaiting }}
      components={listParts}
    />
  )
}
