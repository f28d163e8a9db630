// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fitsAttribute, listFits, useListFits } from './use-list-fits'

describe('listFits', () => {
  it('fits when the content is no taller than a view that has a height', () => {
    expect(listFits(300, 600)).toBe(true)
    expect(listFits(600, 600)).toBe(true)
    expect(listFits(601, 600)).toBe(false)
    // Not laid out yet: nothing is known to fit.
    expect(listFits(0, 0)).toBe(false)
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

/** A frame around Virtuoso's two elements, with heights set by the test. */
function Frame(props: { listKey: string }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  useListFits(frame, props.listKey)
  return (
    <div ref={frame} data-testid="frame">
      <div data-testid="virtuoso-scroller">
        <div data-testid="virtuoso-item-list" style={{ visibility: 'hidden' }} />
      </div>
    </div>
  )
}

function setHeights(scroller: Element, content: number, view: number): void {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: content })
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: view })
}

describe('useListFits', () => {
  it('marks the frame while every row fits, and unmarks it when the rows outgrow the view', () => {
    // The heights are known before the hook's first look, as a mounted list's are.
    const scrollHeight = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(200)
    const clientHeight = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
    const view = render(<Frame listKey="rows:0" />)
    scrollHeight.mockRestore()
    clientHeight.mockRestore()
    const frame = view.getByTestId('frame')
    const scroller = view.getByTestId('virtuoso-scroller')
    expect(frame.hasAttribute(fitsAttribute)).toBe(true)
    expect(observers[0]?.targets).toEqual([scroller, view.getByTestId('virtuoso-item-list')])

    setHeights(scroller, 900, 600)
    observers[0]?.callback()
    expect(frame.hasAttribute(fitsAttribute)).toBe(false)
    setHeights(scroller, 600, 600)
    observers[0]?.callback()
    expect(frame.hasAttribute(fitsAttribute)).toBe(true)
  })

  it('watches the new list when the list is drawn anew, and leaves no mark behind', () => {
    const view = render(<Frame listKey="rows:0" />)
    const frame = view.getByTestId('frame')
    setHeights(view.getByTestId('virtuoso-scroller'), 100, 600)
    observers[0]?.callback()
    expect(frame.hasAttribute(fitsAttribute)).toBe(true)
    view.rerender(<Frame listKey="rows:1" />)
    expect(observers[0]?.disconnected).toBe(true)
    expect(observers).toHaveLength(2)
    view.unmount()
    expect(observers[1]?.disconnected).toBe(true)
    expect(frame.hasAttribute(fitsAttribute)).toBe(false)
  })
})
