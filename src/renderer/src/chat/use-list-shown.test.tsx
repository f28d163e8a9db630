// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { listFits, shownAttribute, useListShown } from './use-list-shown'

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

/** A frame around Virtuoso's two elements, with heights set by the test and the rows given. */
function Frame(props: { listKey: string; rows: number }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  useListShown(frame, props.listKey)
  return (
    <div ref={frame} data-testid="frame">
      <div data-testid="virtuoso-scroller">
        <div data-testid="virtuoso-item-list" style={{ visibility: 'hidden' }}>
          {Array.from({ length: props.rows }, (_, at) => (
            <article key={at} />
          ))}
        </div>
      </div>
    </div>
  )
}

function setHeights(scroller: Element, scrollHeight: number, clientHeight = 600): void {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: scrollHeight })
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: clientHeight })
}

/** Renders with the heights known before the hook's first look, as a mounted list's are. */
function renderSized(element: JSX.Element, scrollHeight: number) {
  const heights = [
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(scrollHeight),
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
  ]
  const view = render(element)
  for (const height of heights) height.mockRestore()
  return view
}

describe('useListShown', () => {
  it('shows rows that fit at once, and keeps them shown when they outgrow the view', () => {
    const view = renderSized(<Frame listKey="rows:0" rows={2} />, 200)
    const frame = view.getByTestId('frame')
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    expect(observers[0]?.targets).toEqual([view.getByTestId('virtuoso-scroller'), view.getByTestId('virtuoso-item-list')])
    // Shown for good: it stopped looking, and a taller list (a long answer streaming in) stays shown.
    expect(observers[0]?.disconnected).toBe(true)
    setHeights(view.getByTestId('virtuoso-scroller'), 5_000)
    observers[0]?.callback()
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
  })

  it('waits for rows, and leaves a list that can scroll to Virtuoso', () => {
    const view = renderSized(<Frame listKey="rows:0" rows={0} />, 600)
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

  it('looks again when the list is drawn anew, and leaves no mark behind', () => {
    const view = renderSized(<Frame listKey="rows:0" rows={1} />, 100)
    const frame = view.getByTestId('frame')
    expect(frame.hasAttribute(shownAttribute)).toBe(true)
    setHeights(view.getByTestId('virtuoso-scroller'), 10_000)
    view.rerender(<Frame listKey="rows:1" rows={1} />)
    expect(frame.hasAttribute(shownAttribute)).toBe(false)
    expect(observers).toHaveLength(2)
    view.unmount()
    expect(observers[1]?.disconnected).toBe(true)
  })
})
