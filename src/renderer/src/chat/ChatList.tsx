import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type JSX } from 'react'
import { Virtuoso } from 'react-virtuoso'
import type { ProviderTrouble, QueuedPrompt } from '../../../shared'
import { sessionRun, waitingInChat, type RunLoading, type RunRetry } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import type { WindowPage } from '../db/message-pages'
import type { MessageRow } from '../db/schema'
import { useCommand } from '../commands/use-commands'
import { useActivity, useDeletedIds } from '../parley-context'
import { currentBranch, withoutDeleted, type BranchItem } from './branch'
import { AwaitedAnswer, WaitingPrompt } from './ChatListEnd'
import { bottomSlack, newestJump } from './follow-bottom'
import { JumpToNewest } from './JumpToNewest'
import { MessageBubble } from './MessageBubble'
import { atLiveEnd, type ChatWindow } from './message-window'
import { useChatCommands } from './use-chat-commands'
import { promptsSentNow } from './prompts-sent-now'
import { useFollowBottom, useNewPromptFollowed } from './use-follow-bottom'
import { useFirstIndex } from './use-list-place'
import { useListOpening } from './use-list-opening'
import { virtuosoPlaced } from './use-opening-gate'
import { usePageReads } from './use-page-reads'
import { useScreenKept } from './use-screen-kept'
import { useTabIntoView } from './use-tab-into-view'

const sentNow = (runId: string): boolean => promptsSentNow.has(runId)

function EmptyChat(): JSX.Element {
  return (
    <div className="chat-empty">
      <p className="chat-empty-title">Start a conversation</p>
      <p>Type a prompt below. Enter sends it, Shift+Enter adds a line.</p>
    </div>
  )
}

interface ListContext {
  /** Whether the list shows the chat's live end (what waits and streams is drawn after it only then). */
  live: boolean
  awaiting: boolean
  retry: RunRetry | undefined
  /** The active run's server is loading the model into memory for it (Ollama, LM Studio). */
  loading: RunLoading | undefined
  /** Prompts of this chat that ran once and wait for the provider (C3, C6): their answers will come here. */
  waiting: readonly QueuedPrompt[]
  /** Why they wait: the provider can't be reached, or it is loading the model. */
  reason: ProviderTrouble
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
      {context?.awaiting ? <AwaitedAnswer retry={context.retry} loading={context.loading} /> : null}
    </div>
    )
}

/** Where the view is: the window it reads, and what the list opened on (the end, or a message, which it marks). */
export type Focus = { kind: 'end'; serial: number } | { kind: 'message'; messageId: string; serial: number }

export interface ViewState {
  chat: ChatWindow
  focus: Focus
}

/** The view opened anew at the chat's live end (a prompt sent from elsewhere, "Jump to the newest message"). */
export function reopenedAtEnd(state: ViewState): ViewState {
  return { chat: atLiveEnd(), focus: { kind: 'end', serial: state.focus.serial + 1 } }
}

export function ChatList(props: {
  sessionId: string
  page: WindowPage
  /** Whether `page` was read for the window in `view` (false while the next window is read: the last one is kept). */
  fresh: boolean
  view: ViewState
  setView: (update: (state: ViewState) => ViewState) => void
}): JSX.Element {
  const { sessionId, page, fresh, view, setView } = props
  const activity = useActivity()
  const run = sessionRun(activity, sessionId)
  const waiting = waitingInChat(activity, sessionId)
  const deleted = useDeletedIds()
  const branch = useMemo(() => {
    const shown = withoutDeleted(page.messages, page.branchLeafId, deleted)
    return currentBranch(shown.rows, shown.leafId)
  }, [page, deleted])
  const { firstIndex, opening } = useFirstIndex(branch)
  const editRequest = useChatCommands(branch)
  const live = view.chat.window.end.kind === 'leaf'

  const shown = useMemo(
    () => ({ rows: page.messages, branch: branch.map((item) => ({ id: item.message.id, createdAt: item.message.createdAt })) }),
    [page, branch]
  )

  const awaiting =
    live && run.busy && !page.messages.some((message) => message.role === 'assistant' && message.runId === run.activeRunId)

  const follow = useFollowBottom(view.focus.kind)
  const lastMessage = branch.at(-1)?.message
  useNewPromptFollowed(live ? lastMessage : undefined, sentNow, follow.toBottom)
  // The window's first chat drawn: the start-up figure's end (main.tsx marks its steps before it).
  useEffect(() => {
    if (performance.getEntriesByName('parley:chat-shown').length === 0) performance.mark('parley:chat-shown')
  }, [])
  const focus = view.focus
  const targetAt = focus.kind === 'message' ? branch.findIndex((item) => item.message.id === focus.messageId) : -1
  // A chat opens at its very end, the bottom of its last message however tall, where the next answer will grow.
  const frame = useRef<HTMLDivElement>(null)
  const opened = useListOpening({ frame, branch, firstIndex, opening, targetAt, atBottom: follow.atBottomChanged })
  // Virtuoso measures a row as its size changes, but while a chat's last rows are drawn hidden at its opening (their
  // showing counts on its measuring a frame later), and makes its ResizeObserver anew for that: the pin's is made
  // again after Virtuoso's, and told how Virtuoso measures.
  const measuredAtOnce = opened.phase !== 'last'
  const { watchSizes } = follow
  useLayoutEffect(() => {
    watchSizes(measuredAtOnce)
  }, [measuredAtOnce, watchSizes])
  useScreenKept(frame, sessionId, branch, live)
  useTabIntoView(frame)
  const placed = useCallback(() => virtuosoPlaced(frame.current), [])
  const pages = usePageReads({ sessionId, page, fresh, setView, shown, firstIndex, count: branch.length, opening: opened, placed, focus: view.focus })

  const jump = newestJump(live, follow.following)
  const toNewest = (): void => {
    if (jump === 'scroll') follow.toBottom()
    else setView(reopenedAtEnd)
  }
  // End does what the ↓ button does, while there is one (outside text fields: there End moves the caret).
  useCommand('jump-to-newest', toNewest, jump !== 'none')

  if (branch.length === 0 && !awaiting && waiting.length === 0) return <EmptyChat />
  const retry = run.retry?.runId === run.activeRunId ? run.retry : undefined
  const loading = run.loading?.runId === run.activeRunId ? run.loading : undefined
  const targetedId = focus.kind === 'message' ? focus.messageId : undefined

  return (
    <div className="chat-list-frame" ref={frame} data-end-first={opened.phase}>
      <Virtuoso<BranchItem<MessageRow>, ListContext>
        // Drawn anew when its first rows come (a chat opened while its history was still being copied in, or empty),
        // and when they are replaced wholly: Virtuoso takes its opening place only as it mounts.
        key={opened.key}
        {...opened.list}
        scrollerRef={follow.scrollerRef}
        className="chat-list"
        computeItemKey={(_, item) => item.message.id}
        // Rows are measured as their size changes, not a frame later: the follow pin (useFollowBottom) is told after
        // Virtuoso, and scrolls to a bottom Virtuoso knows of.
        skipAnimationFrameInResizeObserver={measuredAtOnce}
        itemContent={(_, item) => (
          <div className={item.message.id === targetedId ? 'message-row message-targeted' : 'message-row'}>
            <MessageBubble
              message={item.message}
              siblings={item.siblings}
              index={item.index}
              editRequested={editRequest.messageId === item.message.id}
              onEditTaken={editRequest.taken}
            />
          </div>
        )}
        atBottomThreshold={bottomSlack}
        atBottomStateChange={follow.atBottomChanged}
        // Virtuoso's word that it measured the rows anew: the pin's when it was told of them first (`useFollowBottom`).
        totalListHeightChanged={follow.grown}
        startReached={pages.loadOlder}
        endReached={pages.loadNewer}
        // The next page is read while the reader, moving towards an edge, is still a screen or more from it.
        rangeChanged={pages.rangeChanged}
        increaseViewportBy={{ top: 400, bottom: 400 }}
        scrollSeekConfiguration={follow.seek}
        context={{ live, awaiting, retry, loading, waiting: live ? waiting : [], reason: waitReason(activity) }}
        components={listParts}
      />
      {jump === 'none' ? null : <JumpToNewest onJump={toNewest} />}
    </div>
  )
}
