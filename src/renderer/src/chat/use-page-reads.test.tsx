// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import type { WindowPage } from '../db/message-pages'
import { ParleyProvider } from '../parley-context'
import { linearChatRows } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import type { ViewState } from './ChatList'
import { opened, openingPlace, type OpeningPlace } from './message-window'
import { placedFrames } from './use-opening-gate'
import { usePageReads } from './use-page-reads'

const CHAT = 'chat'
/** The view's focus the list was opened for (a read moves only that view's window). */
const focus: ViewState['focus'] = { kind: 'message', messageId: 'm300', serial: 1 }
/** The window around m300 (m250 to m350): older and newer pages on both sides, the list opened at m300 (row 50). */
async function openedAround(place: OpeningPlace, placed: () => boolean = () => true) {
  const services = testServices()
  await services.db.messages.bulkPut(linearChatRows(CHAT, 600))
  const shownRows = linearChatRows(CHAT, 101, 250)
  const page: WindowPage = {
    messages: shownRows,
    start: shownRows[0]?.createdAt ?? 0,
    endAt: shownRows.at(-1)?.createdAt ?? 0,
    hasOlder: true,
    hasNewer: true,
    branchLeafId: 'm350',
    sessionLeafId: 'm599',
    reachesLeaf: false,
    leafSeq: 0
  }
  const setView = vi.fn<(update: (state: ViewState) => ViewState) => void>()
  const shown = { rows: shownRows, branch: shownRows.map((row) => ({ id: row.id, createdAt: row.createdAt })) }
  const wrapper = ({ children }: { children: ReactNode }) => <ParleyProvider services={services}>{children}</ParleyProvider>
  const hook = renderHook(
    () => usePageReads({ sessionId: CHAT, page, fresh: true, setView, shown, firstIndex: 1_000_000, count: shownRows.length, opening: { key: 'rows:0', place }, placed, focus }),
    { wrapper }
  )
  return { hook, setView }
}

const frames = (count: number): Promise<void> =>
  act(async () => {
    for (let i = 0; i < count; i++) await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))
  })

describe('page reads while a list opens', () => {
  it('reads no page while the list opens, and the ones asked for meanwhile once it has drawn its place', async () => {
    const { hook, setView } = await openedAround(openingPlace(50))
    // Virtuoso draws the top rows first and says the start is reached: not yet.
    act(() => {
      hook.result.current.rangeChanged({ startIndex: 1_000_000, endIndex: 1_000_010 })
      hook.result.current.loadOlder()
    })
    await frames(10)
    // Its frames have passed, but it still hasn't drawn m300: still not.
    act(() => hook.result.current.loadOlder())
    // Time enough for a read (IndexedDB's answer) to come back, had one started.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(setView).not.toHaveBeenCalled()
    // Then the list is at m300: the page above is read now (and the one below, which its move down came near).
    act(() => hook.result.current.rangeChanged({ startIndex: 1_000_040, endIndex: 1_000_060 }))
    await waitFor(() => expect(setView).toHaveBeenCalledTimes(2))
    const before: ViewState = { chat: opened({ start: 251_000, end: { kind: 'at', createdAt: 351_000, anchorId: 'm350', anchor: 'exact' } }), focus }
    const starts = setView.mock.calls.map(([update]) => update(before).chat.window.start)
    // The page above starts a hundred messages earlier, at m150.
    expect(starts).toContain(151_000)
    // Come back after the view was opened anew (a link to another message), a read moves nothing.
    const reopened: ViewState = { ...before, focus: { kind: 'message', messageId: 'm999', serial: 2 } }
    for (const [update] of setView.mock.calls) expect(update(reopened)).toBe(reopened)
  })

  it('waits for the frames of Virtuoso second scroll even when the place is drawn at once', async () => {
    const { hook, setView } = await openedAround(openingPlace(50))
    act(() => {
      hook.result.current.rangeChanged({ startIndex: 1_000_040, endIndex: 1_000_060 })
      hook.result.current.loadNewer()
    })
    await frames(2)
    expect(setView).not.toHaveBeenCalled()
    await frames(8)
    await waitFor(() => expect(setView).toHaveBeenCalledTimes(1))
  })

  it('reads no page until Virtuoso has placed the list where it opens', async () => {
    // Virtuoso hides its items until it is where it opens, and scrolls there again after each change of its rows till
    // then: a page read above meanwhile was scrolled past (a chat opened at m999 ended at its first messages).
    let placed = false
    const { hook, setView } = await openedAround(openingPlace(50), () => placed)
    act(() => {
      hook.result.current.rangeChanged({ startIndex: 1_000_040, endIndex: 1_000_060 })
      hook.result.current.loadOlder()
    })
    await frames(30)
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)))
    expect(setView).not.toHaveBeenCalled()
    // Placed: the page is read (after the frames `openingDone` asks for, tested beside it).
    placed = true
    await frames(placedFrames)
    await waitFor(() => expect(setView).toHaveBeenCalledTimes(1))
  })

  it('reads at once once the list has opened', async () => {
    const { hook, setView } = await openedAround(openingPlace(50))
    act(() => hook.result.current.rangeChanged({ startIndex: 1_000_040, endIndex: 1_000_060 }))
    await frames(10)
    act(() => hook.result.current.loadOlder())
    await waitFor(() => expect(setView).toHaveBeenCalledTimes(1))
  })
})
