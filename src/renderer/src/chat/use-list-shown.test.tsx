// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { atItsEnd, formattingIn, listFits, mostHoldMs, placedAttribute, shownAttribute, useListShown, type ListOpening } from './use-list-shown'

describe('listFits', () => {
  it('fits when some rows are drawn and the content is no taller than a view that has a height', () => {
    expect(listFits({ scrollHeight: 300, clientHeight: 600 }, 2)).toBe(true)
    expect(listFits({ scrollHeight: 600, clientHeight: 600 }, 2)).toBe(true)
    expect(listFits({ scrollHeight: 601, clientHeight: 600 }, 2)).toBe(false)
    // Nothing drawn yet (a long chat's list fits until its rows come), or not laid out: nothing is known.
    expect(listFits({ scrollHeight: 600, clientHeight: 600 }, 0)).toBe(false)
    expect(listFits({ scrollHeight: 0, clientHeight: 0 }, 2)).toBe(false)
  })
})

/** ResizeObservers made, each with its callback, to be fired by hand. */
const observers: { callback: () => void; targets: Element[]; disconnected: boolean }[] = []

beforeEach(() => {
  observers.length = 0
  vi.stubGlobal(
    'ResizeObserver',
    class {
      private readonly entry: (typeof observers)[number]
      constructor(callback: () => void) {
        this.entry = { callback, targets: [], disconnected: false }
        observers.push(this.entry)
      }
      observe(target: Element): void {
        this.entry.targets.push(target)
      }
      disconnect(): void {
        this.entry.disconnected = true
      }
    }
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('formattingIn', () => {
  it('finds a row whose answer is still shown as written while it is formatted', () => {
    const items = document.createElement('div')
    items.innerHTML = '<article><div class="markdown"></div></article>'
    expect(formattingIn(items)).toBe(false)
    items.innerHTML = '<article><div class="markdown" data-formatting=""></div></article>'
    expect(formattingIn(items)).toBe(true)
  })
})

describe('atItsEnd', () => {
  it('is there when the last row is drawn and the scroller is at its bottom, a pixel of rounding aside', () => {
    expect(atItsEnd({ scrollTop: 10_860, clientHeight: 676, scrollHeight: 11_536 }, true)).toBe(true)
    expect(atItsEnd({ scrollTop: 10_859.5, clientHeight: 676, scrollHeight: 11_536 }, true)).toBe(true)
    // Just after Virtuoso's scroll to the end, where the estimated heights put it: short of the bottom.
    expect(atItsEnd({ scrollTop: 10_536, clientHeight: 676, scrollHeight: 11_536 }, true)).toBe(false)
    // At the bottom before any row is drawn (Virtuoso's first frames), or not laid out: nothing is known.
    expect(atItsEnd({ scrollTop: 0, clientHeight: 676, scrollHeight: 676 }, false)).toBe(false)
    expect(atItsEnd({ scrollTop: 0, clientHeight: 0, scrollHeight: 0 }, true)).toBe(false)
  })
})

/** A frame around Virtuoso's two elements, with heights set by the test and the rows given (numbered from `from`). */
function Frame(props: { listKey: string; rows: number; from?: number; opening?: ListOpening; placed?: boolean; formatting?: boolean }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  useListShown(frame, props.listKey, props.opening ?? { kind: 'message' })
  return (
    <div ref={frame} data-testid="frame">
      <div data-testid="virtuoso-scroller">
        <div data-testid="virtuoso-item-list" style={props.placed === true ? {} : { visibility: 'hidden' }}>
          {Array.from({ length: props.rows }, (_, at) => (
            <article key={at} data-index={(props.from ?? 0) + at}>
              {props.formatting === true && at === 0 ? <div data-formatting="" /> : null}
            </article>
          ))}
        </div>
      </div>
    </div>
  )
}

function setHeights(scroller: Element, scrollHeight: number, clientHeight = 600, scrollTop = 0): void {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: scrollHeight })
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: clientHeight })
  Object.defineProperty(scroller, 'scrollTop', { configurable: true, value: scrollTop })
}

/** A wheel event on `target`, and whether the hook held it (its default prevented). */
function wheelHeld(target: Element): boolean {
  const event = new Event('wheel', { bubbles: true, cancelable: true })
  target.dispatchEvent(event)
  return event.defaultPrevented
}

/** The next frame's callbacks have run (where the hook looks at what a render changed). */
async function nextFrame(): Promise<void> {
  await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())))
}

/** Renders with the heights known at the hook's first look (the frame after), as a mounted list's are. */
async function renderSized(element: JSX.Element, scrollHeight: number) {
  const heights = [
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(scrollHeight),
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
  ]
  const view = render(element)
  await nextFrame()
  for (const height of heights) height.mockRestore()
  return view
}

describe('useListShown', () => {
  it('shows rows that fit at once, and keeps them shown when they outgrow the view', async () => {
    const view = await renderSized(<Frame listKey="rows:0" rows={2} />, 200)
    const frame = view.getByTestId('frame')
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    expect(observers[0]?.targets).toEqual([view.getByTestId('virtuoso-scroller'), view.getByTestId('virtuoso-item-list')])
    // Shown for good: a taller list (a long answer streaming in) stays shown. (It still watches for Virtuoso's own
    // landing, to say when scrolling is free.)
    expect(observers[0]?.disconnected).toBe(false)
    setHeights(view.getByTestId('virtuoso-scroller'), 5_000)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
  })

  it('reads no height in the task that commits the rows or restyles them, and shows them in the next frame', async () => {
    // A height read there makes the browser lay out the rows just committed inside React's task (a long task).
    const reads = [
      vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(200),
      vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600),
      vi.spyOn(HTMLElement.prototype, 'scrollTop', 'get').mockReturnValue(0)
    ]
    const unread = () => reads.every((read) => read.mock.calls.length === 0)
    const end: ListOpening = { kind: 'end', lastIndex: 1, settled: true, placedByEndFirst: false }
    const view = render(<Frame listKey="rows:0" rows={2} opening={end} />)
    const frame = view.getByTestId('frame')
    // Virtuoso's style changes (seen by the MutationObserver, in the same task) are looked at in the frame too.
    view.rerender(<Frame listKey="rows:0" rows={2} opening={end} placed />)
    await Promise.resolve()
    expect(unread()).toBe(true)
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    await nextFrame()
    expect(unread()).toBe(false)
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    for (const read of reads) read.mockRestore()
  })

  it('waits while a drawn answer is still formatted in the background, and shows the rows once it is', async () => {
    const end: ListOpening = { kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }
    const view = await renderSized(<Frame listKey="rows:0" rows={7} from={93} opening={end} formatting />, 600)
    const frame = view.getByTestId('frame')
    const scroller = view.getByTestId('virtuoso-scroller')
    setHeights(scroller, 11_536, 676, 10_860)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    // Formatted: the row's size changed, and the observer looks again.
    view.rerender(<Frame listKey="rows:0" rows={7} from={93} opening={end} />)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
  })

  it('waits for rows, and leaves a list that can scroll to Virtuoso', async () => {
    const view = await renderSized(<Frame listKey="rows:0" rows={0} />, 600)
    const frame = view.getByTestId('frame')
    const scroller = view.getByTestId('virtuoso-scroller')
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    // A long chat's rows come: too tall to fit.
    view.rerender(<Frame listKey="rows:0" rows={9} />)
    setHeights(scroller, 10_000)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    expect(observers[0]?.disconnected).toBe(false)
    // A short one's: shown.
    setHeights(scroller, 400)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
  })

  it('looks again when the list is drawn anew, and leaves no mark behind', async () => {
    const view = await renderSized(<Frame listKey="rows:0" rows={1} />, 100)
    const frame = view.getByTestId('frame')
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    setHeights(view.getByTestId('virtuoso-scroller'), 10_000)
    view.rerender(<Frame listKey="rows:1" rows={1} />)
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    expect(observers).toHaveLength(2)
    view.unmount()
    expect(observers[1]?.disconnected).toBe(true)
  })

  it('shows a list opened at its end once its last row is drawn at the bottom, holding the wheel until Virtuoso has landed', async () => {
    const view = await renderSized(<Frame listKey="rows:0" rows={0} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} />, 600)
    const frame = view.getByTestId('frame')
    const scroller = view.getByTestId('virtuoso-scroller')
    // Virtuoso's scroll to the end: the last rows drawn, the scroll where the estimated heights put it.
    view.rerender(<Frame listKey="rows:0" rows={7} from={93} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} />)
    setHeights(scroller, 11_536, 676, 10_536)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    expect(wheelHeld(scroller)).toBe(false)
    // A frame later it moves the scroll to the bottom: shown, from the scroll event, before that frame is painted.
    setHeights(scroller, 11_536, 676, 10_860)
    scroller.dispatchEvent(new Event('scroll'))
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    expect(frame.hasAttribute(placedAttribute)).toBe(false)
    // Its retry would pull a scroll up back to the end: the wheel is held until Virtuoso shows its rows itself.
    expect(wheelHeld(scroller)).toBe(true)
    view.rerender(<Frame listKey="rows:0" rows={7} from={93} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} placed />)
    await nextFrame()
    expect(frame.hasAttribute(placedAttribute)).toBe(true)
    expect(wheelHeld(scroller)).toBe(false)
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
  })

  it('waits at the bottom for the last row, and leaves a list opened at a message to Virtuoso', async () => {
    const atEnd = await renderSized(<Frame listKey="rows:0" rows={7} from={80} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} />, 11_536)
    setHeights(atEnd.getByTestId('virtuoso-scroller'), 11_536, 676, 10_860)
    atEnd.getByTestId('virtuoso-scroller').dispatchEvent(new Event('scroll'))
    expect(atEnd.getByTestId('frame').hasAttribute(shownAttribute)).toBe(false)
    cleanup()
    const atMessage = await renderSized(<Frame listKey="rows:0" rows={7} from={93} />, 11_536)
    setHeights(atMessage.getByTestId('virtuoso-scroller'), 11_536, 676, 10_860)
    atMessage.getByTestId('virtuoso-scroller').dispatchEvent(new Event('scroll'))
    expect(atMessage.getByTestId('frame').hasAttribute(shownAttribute)).toBe(false)
  })

  it('counts a list opened end first as placed once it has settled, holding the wheel meanwhile', async () => {
    // Its first rows, placed and shown by useEndFirst: not shown from here, though they fit.
    const view = await renderSized(<Frame listKey="rows:0" rows={1} opening={{ kind: 'end', lastIndex: 0, settled: false, placedByEndFirst: true }} placed />, 600)
    const frame = view.getByTestId('frame')
    const scroller = view.getByTestId('virtuoso-scroller')
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    expect(frame.hasAttribute(placedAttribute)).toBe(false)
    // The rows above come, the last one at the bottom: shown, not yet settled, the wheel held.
    view.rerender(<Frame listKey="rows:0" rows={8} from={92} opening={{ kind: 'end', lastIndex: 99, settled: false, placedByEndFirst: false }} placed />)
    setHeights(scroller, 6_000, 600, 5_400)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    expect(frame.hasAttribute(placedAttribute)).toBe(false)
    expect(wheelHeld(scroller)).toBe(true)
    view.rerender(<Frame listKey="rows:0" rows={8} from={92} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} placed />)
    expect(frame.hasAttribute(placedAttribute)).toBe(false)
    await nextFrame()
    expect(frame.hasAttribute(placedAttribute)).toBe(true)
    expect(wheelHeld(scroller)).toBe(false)
    // Nothing left to look for: every observer let go.
    expect(observers.every((observer) => observer.disconnected)).toBe(true)
  })

  it('holds the wheel for at most a second after a list opened at its end is shown, if Virtuoso never lands', async () => {
    const now = vi.spyOn(performance, 'now').mockReturnValue(1_000)
    const view = await renderSized(<Frame listKey="rows:0" rows={7} from={93} opening={{ kind: 'end', lastIndex: 99, settled: true, placedByEndFirst: false }} />, 11_536)
    const scroller = view.getByTestId('virtuoso-scroller')
    setHeights(scroller, 11_536, 676, 10_860)
    scroller.dispatchEvent(new Event('scroll'))
    expect(wheelHeld(scroller)).toBe(true)
    // An answer streaming in: Virtuoso re-measures it with every token and never counts its scroll as landed.
    now.mockReturnValue(1_000 + mostHoldMs)
    observers[0]?.callback()
    expect(wheelHeld(scroller)).toBe(false)
    now.mockRestore()
  })
})
