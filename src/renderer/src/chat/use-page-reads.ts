import { useCallback, useEffect, useRef, useState } from 'react'
import { endOfPageAbove, startOfPageBelow, type WindowPage } from '../db/message-pages'
import { chatReadNotice } from '../notices/storage'
import { useParley } from '../parley-context'
import type { ViewState } from './ChatList'
import { chatLimits, edgesToRead, withNewer, withOlder, type ChatWindow, type OpeningPlace, type SeenRange, type Shown } from './message-window'
import { PageReads, type Edge } from './page-reads'
import { useOpeningGate } from './use-opening-gate'

/**
 * The list's page reads: a page above or below the window when the reader reaches an edge (Virtuoso's start and end
 * reached) or comes near one in the direction they move (its drawn range), one at a time per edge (`PageReads`);
 * each moves the window as it resolves. None while the list opens (`drawsOpeningPlace`): until it has drawn the
 * place it opened at, Virtuoso has placed it there (`virtuosoPlaced`) and its last scroll there is past.
 */
export function usePageReads(props: {
  sessionId: string
  page: WindowPage
  fresh: boolean
  setView: (update: (state: ViewState) => ViewState) => void
  shown: Shown
  firstIndex: number
  count: number
  /** Where the list opened, and the key it was drawn with (a new key is a new opening). */
  opening: { key: string; place: OpeningPlace }
  /** Whether the list is where it opens (`virtuosoPlaced`); asked each frame while it opens. */
  placed: () => boolean
  /** The view's focus this list was opened for: a read that comes back after the view was opened anew is dropped. */
  focus: ViewState['focus']
}): { loadOlder: () => void; loadNewer: () => void; rangeChanged: (range: { startIndex: number; endIndex: number }) => void } {
  const { sessionId, page, fresh, setView, shown, firstIndex, count, opening, placed, focus } = props
  const { db, notices } = useParley()
  const [reads] = useState(() => new PageReads<WindowPage>())
  // While the list opens, page reads are held (`useOpeningGate`), and made once it has.
  const { gate, seen, framesPassed } = useOpeningGate(opening, placed)
  const readPage = useCallback(
    (edge: Edge, move: () => Promise<(chat: ChatWindow) => ChatWindow>) => {
      if (!gate.opened) {
        gate.hold(edge)
        return
      }
      if (!reads.may(edge, page, fresh)) return
      reads.started(edge)
      move().then(
        (next) => {
          reads.moved(edge, page)
          // Only into the view this list belongs to: a read of the last list's, come back after a link opened the chat
          // at another message, moved the new window by the old one's pages (m1000 opened at m1084-m1384, its end).
          setView((state) => (state.focus === focus ? { ...state, chat: next(state.chat) } : state))
        },
        (error: unknown) => {
          // Said, and tried again as the reader moves on: the window keeps what it has.
          reads.failed(edge)
          notices.show(chatReadNotice(error))
        }
      )
    },
    [gate, reads, page, fresh, setView, notices, focus]
  )
  const loadOlder = useCallback(() => {
    if (!page.hasOlder) return
    readPage('older', async () => {
      const start = await startOfPageBelow(db, sessionId, page.start, chatLimits.page, true)
      return (chat) => withOlder(chat, start, shown, chatLimits)
    })
  }, [db, sessionId, page, shown, readPage])
  const loadNewer = useCallback(() => {
    if (!page.hasNewer) return
    readPage('newer', async () => {
      const endAt = await endOfPageAbove(db, sessionId, page.endAt, chatLimits.page)
      return (chat) => withNewer(chat, endAt, shown, chatLimits)
    })
  }, [db, sessionId, page, shown, readPage])

  /** The reads held while the list opened, made once it has. */
  const makeHeld = useCallback(() => {
    for (const edge of gate.takeHeld()) (edge === 'older' ? loadOlder : loadNewer)()
  }, [gate, loadOlder, loadNewer])

  const lastRange = useRef<SeenRange | undefined>(undefined)
  const rangeChanged = useCallback(
    (range: { startIndex: number; endIndex: number }) => {
      const now = { ...range, firstIndex }
      seen(now, count)
      const edges = edgesToRead(lastRange.current, now, count)
      lastRange.current = now
      if (edges.older) loadOlder()
      if (edges.newer) loadNewer()
      makeHeld()
    },
    [seen, firstIndex, count, loadOlder, loadNewer, makeHeld]
  )
  useEffect(() => {
    if (framesPassed) makeHeld()
  }, [framesPassed, makeHeld])
  return { loadOlder, loadNewer, rangeChanged }
}
