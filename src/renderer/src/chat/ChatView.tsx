import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type JSX } from 'react'
import { useLiveQuery } from 'dexie-react-hooks'
import { readWindow, windowAround } from '../db/message-pages'
import { withUncommitted } from '../db/uncommitted-rows'
import { chatReadNotice } from '../notices/storage'
import { useParley } from '../parley-context'
import { ChatList, reopenedAtEnd, type ViewState } from './ChatList'
import { firstScreen } from './first-screen'
import { useMarkdownCode } from './LoadedMarkdown'
import type { MessageTarget } from './message-target'
import { atLiveEnd, chatLimits, followingLeaf, opened, startingAt } from './message-window'
import { RunAnnouncer } from './RunAnnouncer'
import { switchToTargetBranch, targetNoticeId } from './target-branch'

/**
 * One chat's current branch (H3) in a virtual list that follows the bottom while an answer streams. It holds a window
 * of the chat (chat/message-window.ts) that moves a page at a time as the reader scrolls either way, and opens at a
 * message when `target` names one of this chat's.
 */
export function ChatView(props: { sessionId: string; target: MessageTarget | undefined }): JSX.Element {
  const { sessionId } = props
  const target = props.target?.sessionId === sessionId ? props.target : undefined
  const { api, db, notices, uncommitted } = useParley()
  const [view, setView] = useState<ViewState>({ chat: atLiveEnd(), focus: { kind: 'end', serial: 0 } })
  // The markdown stack loads while the chat is read: the chat is drawn formatted from its first frame, by the stack, or
  // (the chat the window showed last, reopened at its end) from the answers' HTML kept from then (`first-screen.ts`).
  const markdown = useMarkdownCode()

  // Opening at a message: its branch made the current one (what is sent next follows the branch shown), then a window
  // around it, read on the index both ways from its createdAt.
  const targetSerial = target?.serial
  const targetId = target?.messageId
  /** The leaf a switch to the target's branch moved to: the window, away from the leaf, stays at the target for it. */
  const switchedTo = useRef<string | undefined>(undefined)
  useEffect(() => {
    if (targetSerial === undefined || targetId === undefined) return
    let live = true
    switchedTo.current = undefined
    const show = notices.show.bind(notices)
    void switchToTargetBranch(api, show, sessionId, targetId)
      .then((leaf) => {
        if (live) switchedTo.current = leaf
        return windowAround(db, sessionId, targetId, chatLimits)
      })
      .then(
        (around) => {
          if (!live) return
          if (around) setView({ chat: opened(around), focus: { kind: 'message', messageId: targetId, serial: targetSerial } })
          else notices.show({ id: targetNoticeId, tone: 'warning', text: 'That message is no longer in this chat.', dismissible: true })
        },
        (error: unknown) => notices.show(chatReadNotice(error))
      )
    return () => {
      live = false
    }
  }, [api, db, sessionId, targetId, targetSerial, notices])

  const window = view.chat.window
  // Each read says which window it was: while the next one is read, the list keeps the last (no blank between pages).
  const read = useLiveQuery(
    () =>
      readWindow(db, sessionId, window, chatLimits).then(
        (page) => ({ window, page }),
        (error: unknown) => {
          notices.show(chatReadNotice(error))
          return undefined
        }
      ),
    [db, sessionId, window, notices]
  )
  const current = read?.window === window ? read.page : undefined
  // At the live end, the messages heard of that the read can't have had yet (a prompt sent, an answer begun) show at
  // once, not after their commit and the next read.
  const heard = useSyncExternalStore(uncommitted.subscribe, uncommitted.version)
  const live = window.end.kind === 'leaf'
  const page = useMemo(
    () => (read && live ? withUncommitted(read.page, uncommitted.of(sessionId)) : read?.page),
    // `heard` is the store's version: a change re-merges.
    [read, live, uncommitted, sessionId, heard]
  )

  // The leaf moved while the window is away from it (a prompt sent, a branch switched): back to the live end, which
  // shows it. The branch the window drew from its anchor is no longer the current one.
  const leafSeen = useRef<string | undefined>(undefined)
  const leafNow = current?.sessionLeafId
  useEffect(() => {
    if (!current) return
    const before = leafSeen.current
    leafSeen.current = leafNow
    if (before === undefined || before === leafNow) return
    // The switch to the target's branch is not a move away from it: the window stays at the target.
    if (leafNow !== undefined && leafNow === switchedTo.current) switchedTo.current = undefined
    else if (window.end.kind === 'at') setView(reopenedAtEnd)
  }, [current, leafNow, window])

  // The window as read: its start fixed where the read found it; following the leaf once it is in reach.
  useEffect(() => {
    if (!current) return
    if (current.reachesLeaf && window.end.kind === 'at') setView((state) => ({ ...state, chat: followingLeaf(state.chat) }))
    else if (current.start !== window.start) setView((state) => ({ ...state, chat: startingAt(state.chat, current.start) }))
  }, [current, window])

  // A list opens on its own window's rows (it scrolls to the message opened at as it mounts), never the last list's.
  const listKey = `${view.focus.kind}:${view.focus.serial}`
  const opening = useRef(listKey)
  if (current) opening.current = listKey
  const drawnAsKept = live && page !== undefined && firstScreen.covers(sessionId, page.branchLeafId)
  const ready = page !== undefined && opening.current === listKey && (markdown.kind !== 'waiting' || drawnAsKept)
  return (
    <>
      {ready ? (
        <ChatList key={listKey} sessionId={sessionId} page={page} fresh={current !== undefined} view={view} setView={setView} />
      ) : (
        <div className="chat-list" aria-busy="true" />
      )}
      <RunAnnouncer sessionId={sessionId} />
    </>
  )
}

