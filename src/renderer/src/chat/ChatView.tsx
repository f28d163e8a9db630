import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import { Virtuoso } from 'react-virtuoso'
import type { ProviderTrouble, QueuedPrompt } from '../../../shared'
import { useNow } from '../activity/countdown'
import { sessionRun, waitingInChat, type RunRetry } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import { pageStart, useMessagesFrom } from '../db/queries'
import type { MessageRow } from '../db/schema'
import { actionFailedNotice } from '../notices/action-failed'
import { errorText } from '../notices/error-text'
import { useActivity, useParley } from '../parley-context'
import { MessageBubble } from './MessageBubble'
import { awaitedAnswerLabel, waitingAnswerText } from './run-state'

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

/**
 * The answer a busy session owes before its first token arrives (no assistant message exists yet). While a rate
 * limit is waited out (C4) it counts down to the next try, with the provider's sentence beside it.
 */
function AwaitedAnswer(props: { retry: RunRetry | undefined }): JSX.Element {
  const { retry } = props
  const now = useNow(retry !== undefined)
  return (
    <div
      className="message message-assistant message-awaited"
      data-testid="awaited-answer"
      data-retrying={retry ? 'true' : undefined}
      aria-live="polite"
    >
      <span className="typing" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className={`run-state run-state-${retry ? 'warning' : 'live'}`} data-testid="run-state">
        {awaitedAnswerLabel(retry, now)}
      </span>
      {retry ? <span className="awaited-detail">{retry.detail}</span> : null}
    </div>
  )
}

/**
 * The prompt that runs next once the provider answers again (rule C3), shown where its answer will be, rather than as
 * a chip; it can still be removed. If it already ran once, its user message is just above, from history; if not, it
 * is drawn here the same way, so a waiting prompt looks the same in every chat.
 */
function WaitingPrompt(props: { prompt: QueuedPrompt; reason: ProviderTrouble }): JSX.Element {
  return (
    <>
      {props.prompt.userMessageId === undefined ? (
        <article className="message message-user message-not-sent" data-testid="waiting-prompt" aria-label="You">
          <div className="message-text user-text">{props.prompt.prompt}</div>
        </article>
      ) : null}
      <WaitingAnswer prompt={props.prompt} reason={props.reason} />
    </>
  )
}

function WaitingAnswer(props: { prompt: QueuedPrompt; reason: ProviderTrouble }): JSX.Element {
  const text = waitingAnswerText(props.reason)
  const { api, notices } = useParley()
  const remove = (): void => {
    api
      .cancelRun(props.prompt.runId)
      .catch((error: unknown) => notices.show(actionFailedNotice('Parley could not remove that prompt', error)))
  }
  return (
    <div
      className="message message-assistant message-awaited message-waiting"
      data-testid="waiting-answer"
      data-run-id={props.prompt.runId}
      aria-live="polite"
    >
      <span className="run-state run-state-warning" data-testid="run-state">
        {text.label}
      </span>
      <span className="awaited-detail">{text.detail}</span>
      <button type="button" className="button small" data-testid="remove-waiting" onClick={remove}>
        Remove
      </button>
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
  retry: RunRetry | undefined
  /** Prompts of this chat that ran once and wait for the provider (C3, C6): their answers will come here. */
  waiting: readonly QueuedPrompt[]
  /** Why they wait: the provider can't be reached, or it is loading the model. */
  reason: ProviderTrouble
}

/** Defined once, outside the view: Virtuoso remounts parts whose identity changes. */
const listParts = {
  Footer: ({ context }: { context?: ListContext }): JSX.Element => (
    <div className="message-row chat-list-end">
      {context?.waiting.map((prompt) => <WaitingPrompt key={prompt.runId} prompt={prompt} reason={context.reason} />)}
      {context?.awaiting ? <AwaitedAnswer retry={context.retry} /> : null}
    </div>
  )
}

/** One chat's messages in a virtual list that follows the bottom while an answer streams. */
export function ChatView(props: { sessionId: string }): JSX.Element {
  const { sessionId } = props
  const { db, notices } = useParley()
  const activity = useActivity()
  const run = sessionRun(activity, sessionId)
  const waiting = waitingInChat(activity, sessionId)
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
  if (messages.length === 0 && !awaiting && waiting.length === 0) return <EmptyChat />
  const retry = run.retry?.runId === run.activeRunId ? run.retry : undefined

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
      context={{ awaiting, retry, waiting, reason: waitReason(activity) }}
      components={listParts}
    />
  )
}
