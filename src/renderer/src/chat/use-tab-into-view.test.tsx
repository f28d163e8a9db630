// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useTabIntoView } from './use-tab-into-view'

afterEach(cleanup)

/** The header's last button, the list (its scroller, rows drawn above, in and below its view), then the composer. */
function Page(props: { empty?: boolean }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  useTabIntoView(frame)
  return (
    <>
      <button type="button">Export</button>
      {props.empty ? <p>Start a conversation</p> : null}
      <div ref={props.empty ? undefined : frame} hidden={props.empty}>
        <div data-testid="virtuoso-scroller" tabIndex={0}>
          <div data-testid="virtuoso-item-list">
            <button type="button">above</button>
            <button type="button">first shown</button>
            <button type="button">last shown</button>
            <button type="button">below</button>
          </div>
        </div>
      </div>
      <textarea aria-label="Prompt" />
    </>
  )
}

const tops: Record<string, number> = { above: -300, 'first shown': 120, 'last shown': 600, below: 1100 }

function place(view: { top: number; bottom: number }): void {
  for (const element of document.querySelectorAll<HTMLElement>('button, textarea, [data-testid="virtuoso-scroller"]')) {
    const name = element.textContent ?? ''
    const top = element.dataset['testid'] === 'virtuoso-scroller' ? view.top : (tops[name] ?? 800)
    const bottom = element.dataset['testid'] === 'virtuoso-scroller' ? view.bottom : top + 20
    element.getBoundingClientRect = () => ({ top, bottom, left: 0, right: 100, width: 100, height: bottom - top, x: 0, y: top, toJSON: () => ({}) })
  }
}

const tab = (shift = false): boolean => fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: shift })
const byName = (name: string): HTMLElement => Array.from(document.querySelectorAll<HTMLElement>('button')).find((b) => b.textContent === name)!

describe('Tab into the chat list', () => {
  it('Tab from the list itself goes to the first control in view, not to one in the rows drawn above it', () => {
    render(<Page />)
    place({ top: 50, bottom: 700 })
    document.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')?.focus()
    expect(tab()).toBe(false)
    expect(document.activeElement).toBe(byName('first shown'))
    // Inside the list, Tab is the browser's, in the page's order.
    expect(tab()).toBe(true)
  })

  it('a chat that was empty when it opened (its list drawn with the first answer) is steered too', () => {
    const view = render(<Page empty />)
    view.rerender(<Page />)
    place({ top: 50, bottom: 700 })
    document.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')?.focus()
    expect(tab()).toBe(false)
    expect(document.activeElement).toBe(byName('first shown'))
  })

  it('Shift+Tab from the composer goes to the last control in view, not to one drawn below it', () => {
    render(<Page />)
    place({ top: 50, bottom: 700 })
    document.querySelector('textarea')?.focus()
    expect(tab(true)).toBe(false)
    expect(document.activeElement).toBe(byName('last shown'))
  })

  it('with nothing to press in view, Shift+Tab stops on the list itself, and Tab from it goes past the list', () => {
    render(<Page />)
    place({ top: 200, bottom: 500 })
    document.querySelector('textarea')?.focus()
    expect(tab(true)).toBe(false)
    expect(document.activeElement?.getAttribute('data-testid')).toBe('virtuoso-scroller')
    expect(tab()).toBe(false)
    expect(document.activeElement).toBe(document.querySelector('textarea'))
  })

  it('a next stop already in view, or a dialog open, is left to the browser', () => {
    render(<Page />)
    place({ top: -400, bottom: 700 })
    document.querySelector<HTMLElement>('[data-testid="virtuoso-scroller"]')?.focus()
    expect(tab()).toBe(true)
    place({ top: 50, bottom: 700 })
    const dialog = document.createElement('div')
    dialog.setAttribute('aria-modal', 'true')
    document.body.append(dialog)
    expect(tab()).toBe(true)
    dialog.remove()
  })
})
