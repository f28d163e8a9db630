// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { shownAttribute } from './use-list-shown'
import { drawableEndFirst, firstRows, lastDrawnIndex, mostLastLines, mostPlacingFrames, settlingFrames, useEndFirst, type EndFirstPhase } from './use-end-first'


const message = (text: string, status: 'finished' | 'streaming' = 'finished') => ({ parts: [{ type: 'text' as const, text }], status })

describe('drawableEndFirst', () => {
  it('draws a chat end first when its last message is no taller than most views, or streaming', () => {
    expect(drawableEndFirst(message('The newest answer.'))).toBe(true)
    // The bench's last: 50 words, a formula and a code block.
    expect(drawableEndFirst(message(`${'word '.repeat(66)}\n\nInline $x$:\n\n$$x^2$$\n\n\`\`\`ts\nconst a = 1\nconst b = 2\n\`\`\`\n\nDone.`))).toBe(true)
    // Blank lines between paragraphs are not counted.
    expect(drawableEndFirst(message(Array.from({ length: mostLastLines }, () => 'line').join('\n\n\n')))).toBe(true)
    const tall = Array.from({ length: 80 }, (_, line) => `Line ${line} of a long answer.`).join('\n\n')
    expect(drawableEndFirst(message(tall, 'streaming'))).toBe(true)
  })

  it('opens a chat whose last message is taller the usual way: many lines, long lines, or a picture', () => {
    expect(drawableEndFirst(message(Array.from({ length: mostLastLines + 1 }, () => 'line').join('\n')))).toBe(false)
    expect(drawableEndFirst(message('x'.repeat(80 * mostLastLines + 1)))).toBe(false)
    expect(drawableEndFirst({ ...message('A picture.'), attachments: [{ id: 'a1', name: 'p.png', mimeType: 'image/png', size: 10, kind: 'image' }] })).toBe(false)
  })
})

describe('lastDrawnIndex', () => {
  it('is the last of the first rows while they are drawn alone, then the last of all', () => {
    expect(lastDrawnIndex('last', 100)).toBe(firstRows - 1)
    expect(lastDrawnIndex('last', 3)).toBe(2)
    expect(lastDrawnIndex('settling', 100)).toBe(99)
    expect(lastDrawnIndex('off', 100)).toBe(99)
  })
})

/** ResizeObservers made, to be fired by hand. */
const observers: { callback: () => void; disconnected: boolean }[] = []
/** Animation frames asked for, run by `frames`. */
let frameQueue: FrameRequestCallback[] = []

beforeEach(() => {
  observers.length = 0
  frameQueue = []
  vi.stubGlobal(
    'ResizeObserver',
    class {
      private readonly entry: (typeof observers)[number]
      constructor(callback: () => void) {
        this.entry = { callback, disconnected: false }
        observers.push(this.entry)
      }
      observe(): void {}
      disconnect(): void {
        this.entry.disconnected = true
      }
    }
  )
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frameQueue.push(callback))
  vi.stubGlobal('cancelAnimationFrame', () => undefined)
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function frames(count: number): void {
  for (let at = 0; at < count; at++) {
    const due = frameQueue
    frameQueue = []
    act(() => due.forEach((callback) => callback(performance.now())))
  }
}

const seen: EndFirstPhase[] = []

/** A list frame with Virtuoso's two elements and `drawn` rows (data indices from 0). */
function List(props: { listKey: string; eligible: boolean; drawn: number; atBottom: (at: boolean) => void; formatting?: boolean }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  const phase = useEndFirst(frame, props.listKey, props.eligible, 100, props.atBottom)
  seen.push(phase)
  return (
    <div ref={frame}>
      <div data-testid="virtuoso-scroller">
        <div data-testid="virtuoso-item-list">
          {Array.from({ length: props.drawn }, (_, at) => (
            <div key={at} data-index={at}>
              {props.formatting === true && at === 0 ? <div data-formatting="" /> : null}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}

function place(scroller: HTMLElement, scrollHeight: number, clientHeight: number): void {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: scrollHeight })
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: clientHeight })
}

describe('useEndFirst', () => {
  it('draws the last rows first, hidden, and shows them once the last is at the bottom a frame on; then the rest, then settles', () => {
    seen.length = 0
    const atBottom = vi.fn()
    const view = render(<List listKey="rows:0" eligible drawn={3} atBottom={atBottom} />)
    const scroller = view.getByTestId('virtuoso-scroller')
    const frame = scroller.parentElement
    expect(seen.at(-1)).toBe('last')
    // Taller than the view, the last of the first rows not drawn yet: scrolled to the bottom in the next frame (once
    // Virtuoso has taken in its sizes, never in the frame it drew them), and waited for.
    place(scroller, 2_000, 600)
    observers[0]?.callback()
    expect(scroller.scrollTop).toBe(0)
    frames(1)
    expect(scroller.scrollTop).toBe(2_000)
    expect(atBottom).not.toHaveBeenCalled()
    expect(frame?.hasAttribute(shownAttribute)).toBe(false)
    // All drawn: at the bottom the next frame, shown, followed from there; the rows above come with that frame.
    view.rerender(<List listKey="rows:0" eligible drawn={firstRows} atBottom={atBottom} />)
    scroller.scrollTop = 0
    observers[0]?.callback()
    expect(scroller.scrollTop).toBe(0)
    frames(1)
    expect(scroller.scrollTop).toBe(2_000)
    expect(frame?.hasAttribute(shownAttribute)).toBe(true)
    expect(atBottom).toHaveBeenCalledWith(true)
    expect(observers[0]?.disconnected).toBe(true)
    expect(seen.at(-1)).toBe('settling')
    frames(settlingFrames)
    expect(seen.at(-1)).toBe('settled')
  })

  it('waits while one of the first rows is still formatted in the background (a long answer above the last)', () => {
    seen.length = 0
    const view = render(<List listKey="rows:0" eligible drawn={firstRows} atBottom={vi.fn()} formatting />)
    const scroller = view.getByTestId('virtuoso-scroller')
    place(scroller, 2_000, 600)
    observers[0]?.callback()
    frames(1)
    expect(scroller.parentElement?.hasAttribute(shownAttribute)).toBe(false)
    expect(seen.at(-1)).toBe('last')
    view.rerender(<List listKey="rows:0" eligible drawn={firstRows} atBottom={vi.fn()} />)
    observers[0]?.callback()
    frames(1)
    expect(scroller.parentElement?.hasAttribute(shownAttribute)).toBe(true)
  })

  it('shows the first rows wherever they are after the most frames, rather than never', () => {
    seen.length = 0
    const view = render(<List listKey="rows:0" eligible drawn={3} atBottom={() => undefined} />)
    place(view.getByTestId('virtuoso-scroller'), 2_000, 600)
    observers[0]?.callback()
    frames(mostPlacingFrames - 1)
    expect(seen.at(-1)).toBe('last')
    frames(1)
    expect(seen.at(-1)).toBe('settling')
  })

  it('is off for a list not eligible, decided once per opening', () => {
    seen.length = 0
    const view = render(<List listKey="rows:0" eligible={false} drawn={3} atBottom={() => undefined} />)
    expect(seen.at(-1)).toBe('off')
    view.rerender(<List listKey="rows:0" eligible drawn={3} atBottom={() => undefined} />)
    expect(seen.at(-1)).toBe('off')
    view.rerender(<List listKey="rows:1" eligible drawn={3} atBottom={() => undefined} />)
    expect(seen.at(-1)).toBe('last')
  })
})
