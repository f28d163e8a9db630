import { useCallback, useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { Virtuoso } from 'react-virtuoso'
import type { ProviderTrouble, QueuedPrompt } from '../../../shared'
import { sessionRun, waitingInChat, type RunRetry } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import { pageStart, useMessagesFrom } from '../db/queries'
import type { MessageRow } from '../db/schema'
import { errorText } from '../notices/error-text'
import { useActivity, useDeletedIds, useParley } from '../parley-context'
import { currentBranch, withoutDeleted, type BranchItem } from './branch'
import { AwaitedAnswer, WaitingPrompt } from './ChatListEnd'
import { MessageBubble } from './MessageBubble'
import { useChatCommands } from './use-chat-commands'

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

/**
 * How many items have appeared above the first one seen (scrolling up loaded them): Virtuoso keeps the reader's place
 * when `firstItemIndex` drops by as many. A branch switch replaces the items: counting starts again from there.
 */
function usePrepended(items: readonly BranchItem<MessageRow>[]): number {
  const head = useRef<string | undefined>(undefined)
  const prepended = useRef(0)
  const first = items[0]?.message.id
  const at = head.current === undefined ? -1 : items.findIndex((item) => item.message.id === head.current)
  if (at > 0) prepended.current += at
  if (at !== 0) head.current = first
  return prepended.current
}

/** One chat's current branch (H3) in a virtual list that follows the bottom while an answer streams. */
export function ChatView(props: { sessionId: string }): JSX.Element {
  const { sessionId } = props
  const { db, notices } = useParley()
  const activity = useActivity()
  const run = sessionRun(activity, sessionId)
  const waiting = waitingInChat(activity, sessionId)
  const [from, setFrom] = useState<number>()
  const page = useMessagesFrom(db, sessionId, from)
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
  const deleted = useDeletedIds()
  const branch = useMemo(() => {
    const shown = withoutDeleted(page?.messages ?? [], page?.leafId, deleted)
    return currentBranch(shown.rows, shown.leafId)
  }, [page, deleted])
  const prepended = usePrepended(branch)
  const editRequest = useChatCommands(branch)

  const loadOlder = useCallback(() => {
    if (!page?.hasOlder || loadingOlder.current) return
    loadingOlder.current = true
    pageStart(db, sessionId, page.start, pageSize)
      .then(setFrom)
      .catch(() => undefined)
      .finally(() => (loadingOlder.current = false))
  }, [db, sessionId, page])

  const awaiting =
    run.busy &&
    !messages.some((message) => message.role === 'assistant' && message.runId === run.activeRunId)

  const follow = useFollowBottom()

  if (!page) return <div className="chat-list" aria-busy="true" />
  if (branch.length === 0 && !awaiting && waiting.length === 0) return <EmptyChat />
  const retry = run.retry?.runId === run.activeRunId ? run.retry : undefined

  return (
    <Virtuoso<BranchItem<MessageRow>, ListContext>
      scrollerRef={follow.scrollerRef}
      className="chat-list"
      data={branch}
      firstItemIndex={firstIndexBase - prepended}
      initialTopMostItemIndex={Math.max(0, branch.length - 1)}
      computeItemKey={(_, item) => item.message.id}
      itemContent={(_, item) => (
        <div className="message-row">
          <MessageBubble
            message={item.message}
            siblings={item.siblings}
            index={item.index}
            editRequest={editRequest?.messageId === item.message.id ? editRequest.count : 0}
          />
        </div>
      )}
      // The reader's own new prompt always brings the list down; others only if it was already at the bottom.
      followOutput={(isAtBottom) => (isAtBottom || branch.at(-1)?.message.role === 'user' ? 'auto' : false)}
      atBottomThreshold={48}
      totalListHeightChanged={follow.grown}
      startReached={loadOlder}
      increaseViewportBy={{ top: 400, bottom: 200 }}
      context={{ awaiting, retry, waiting, reason: waitReason(activity) }}
      components={listParts}
    />
  )
}
