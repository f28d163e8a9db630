import { useCallback, useEffect, useRef, useState } from 'react'
import { endOfPageAbove, startOfPageBelow, type WindowPage } from '../db/message-pages'
import { chatReadNotice } from '../notices/storage'
import { useParley } from '../parley-context'
import type { ViewState } from './ChatList'
import {
  chatLimits,
  drawsOpeningPlace,
  edgesToRead,
  withNewer,
  withOlder,
  type ChatWindow,
  type OpeningPlace,
  type SeenRange,
  type Shown
} from './message-window'
import { PageReads, type Edge } from './page-reads'

/** Frames after the list mounts before a page may be read: Virtuoso scrolls to its opening place again after four. */
const openingFrames = 8

/**
 * The list's page reads: a page above or below the window when the reader reaches an edge (Virtuoso's start and end
 * reached) or comes near one in the direction they move (its drawn range), one at a time per edge (`PageReads`);
 * each moves the window as it resolves. None while the list opens (`drawsOpeningPlace`): until it has drawn the
 * place it opened at and made its second scroll there.
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
}): { loadOlder: () => void; loadNewer: () => void; rangeChanged: (range: { startIndex: number; endIndex: number }) => void } {
  const { sessionId, page, fresh, setView, shown, firstIndex, count, opening } = props
  const { db, notices } = useParley()
  const [reads] = useState(() => new PageReads<WindowPage>())
  // While the list opens: whether its frames have passed and its place was drawn, and the reads asked for meanwhile
  // (at a window of a hundred rows or so, Virtuoso reaches both edges as it mounts), made once it has opened.
  const settling = useRef({ key: opening.key, frames: false, drawn: false, asked: new Set<Edge>() })
  if (settling.current.key !== opening.key) settling.current = { key: opening.key, frames: false, drawn: false, asked: new Set() }
  const [framesPassed, setFramesPassed] = useState<string | undefined>(undefined)
  useEffect(() => {
    const state = settling.current
    let frame = 0
    let left = openingFrames
    const tick = (): void => {
      left -= 1
      if (left > 0) {
        frame = requestAnimationFrame(tick)
        return
      }
      state.frames = true
      setFramesPassed(state.key)
    }
    frame = requestAnimationFrame(tick)
    return () => cancelAnimationFrame(frame)
  }, [opening.key])
  const opened = (): boolean => settling.current.frames && settling.current.drawn
  const readPage = useCallback(
    (edge: Edge, move: () => Promise<(chat: ChatWindow) => ChatWindow>) => {
      if (!opened()) {
        settling.current.asked.add(edge)
        return
      }
      if (!reads.may(edge, page, fresh)) return
      reads.started(edge)
      move().then(
        (next) => {
          reads.moved(edge, page)
          setView((state) => ({ ...state, chat: next(state.chat) }))
        },
        (error: unknown) => {
          // Said, and tried again as the reader moves on: the window keeps what it has.
          reads.failed(edge)
          notices.show(chatReadNotice(error))
        }
      )
    },
    [reads, page, fresh, setView, notices]
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

  /** The reads asked for while the list opened, made once it has. */
  const askedWhileOpening = useCallback(() => {
    const state = settling.current
    if (!state.frames || !state.drawn || state.asked.size === 0) return
    const asked = [...state.asked]
    state.asked.clear()
    if (asked.includes('older')) loadOlder()
    if (asked.includes('newer')) loadNewer()
  }, [loadOlder, loadNewer])

  const lastRange = useRef<SeenRange | undefined>(undefined)
  const rangeChanged = useCallback(
    (range: { startIndex: number; endIndex: number }) => {
      const now = { ...range, firstIndex }
      if (drawsOpeningPlace(opening.place, now, count)) settling.current.drawn = true
      const edges = edgesToRead(lastRange.current, now, count)
      lastRange.current = now
      if (edges.older) loadOlder()
      if (edges.newer) loadNewer()
      askedWhileOpening()
    },
    [firstIndex, count, loadOlder, loadNewer, opening.place, askedWhileOpening]
  )
  useEffect(() => {
    if (framesPassed === opening.key) askedWhileOpening()
  }, [framesPassed, opening.key, askedWhileOpening])
  return { loadOlder, loadNewer, rangeChanged }
}
