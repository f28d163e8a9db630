// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { firstRows, lastDrawnIndex, mostFirstLines, settlingFrames, shortEnoughFirst, useEndFirst, type EndFirstPhase } from './use-end-first'

const text = (value: string) => ({ parts: [{ type: 'text' as const, text: value }] })

describe('shortEnoughFirst', () => {
  it('draws short last messages first, up to the most lines in all, each line counted by its length', () => {
    expect(shortEnoughFirst([text('A prompt.'), text('The newest answer.')])).toBe(true)
    // The bench's: 50 words of prose each, the last with a formula and a code block.
    const prose = text('word '.repeat(66))
    const last = text(`${'word '.repeat(66)}\n\nInline $x$ and:\n\n$$x^2$$\n\n\`\`\`ts\nconst a = 1\nconst b = 2\nconst c = 3\n\`\`\`\n\nDone.`)
    expect(shortEnoughFirst([...Array.from({ length: firstRows - 1 }, () => prose), last])).toBe(true)
    // Only the last `firstRows` count.
    expect(shortEnoughFirst([text('x'.repeat(80 * mostFirstLines * 2)), ...Array.from({ length: firstRows }, () => text('Short.'))])).toBe(true)
  })

  it('leaves taller ones to open the usual way: many lines, long lines, or a picture', () => {
    expect(shortEnoughFirst([text(Array.from({ length: mostFirstLines + 1 }, () => 'line').join('\n'))])).toBe(false)
    // The long answer of the e2e: 80 paragraphs.
    expect(shortEnoughFirst([text(Array.from({ length: 80 }, (_, line) => `Line ${line} of a long answer.`).join('\n\n'))])).toBe(false)
    // Blank lines between paragraphs are not counted.
    expect(shortEnoughFirst([text(Array.from({ length: mostFirstLines }, () => 'line').join('\n\n\n'))])).toBe(true)
    expect(shortEnoughFirst([text('Hi.'), text('x'.repeat(80 * mostFirstLines + 1))])).toBe(false)
    expect(shortEnoughFirst([{ ...text('A picture.'), attachments: [{ id: 'a1', name: 'p.png', mimeType: 'image/png', size: 10, kind: 'image' }] }])).toBe(false)
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
function List(props: { listKey: string; eligible: boolean; drawn: number; atBottom: (at: boolean) => void }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  const phase = useEndFirst(frame, props.listKey, props.eligible, 100, props.atBottom)
  seen.push(phase)
  return (
    <div ref={frame}>
      <div data-testid="virtuoso-scroller">
        <div data-testid="virtuoso-item-list">
          {Array.from({ length: props.drawn }, (_, at) => (
            <div key={at} data-index={at} />
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
  it('draws the last rows first, keeps them at the bottom until the last is drawn there, then the rest, then settles', () => {
    seen.length = 0
    const atBottom = vi.fn()
    const view = render(<List listKey="rows:0" eligible drawn={3} atBottom={atBottom} />)
    const scroller = view.getByTestId('virtuoso-scroller')
    expect(seen.at(-1)).toBe('last')
    // Taller than the view, the last of the first rows not drawn yet: scrolled to the bottom the next frame (once
    // Virtuoso has its sizes), and waited for.
    place(scroller, 2_000, 600)
    observers[0]?.callback()
    expect(scroller.scrollTop).toBe(0)
    frames(1)
    expect(scroller.scrollTop).toBe(2_000)
    expect(atBottom).not.toHaveBeenCalled()
    // All drawn: to the bottom at once, before the frame is painted; the list follows from there, and the rows
    // above come the next frame.
    view.rerender(<List listKey="rows:0" eligible drawn={firstRows} atBottom={atBottom} />)
    scroller.scrollTop = 0
    observers[0]?.callback()
    expect(scroller.scrollTop).toBe(2_000)
    expect(atBottom).toHaveBeenCalledWith(true)
    expect(observers[0]?.disconnected).toBe(true)
    frames(1)
    expect(seen.at(-1)).toBe('settling')
    frames(settlingFrames)
    expect(seen.at(-1)).toBe('settled')
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
