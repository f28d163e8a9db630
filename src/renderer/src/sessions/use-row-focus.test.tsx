// @vitest-environment happy-dom
import { cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react'
import type { VirtuosoHandle } from 'react-virtuoso'
import { afterEach, describe, expect, it } from 'vitest'
import { useRowFocus, type RowFocus } from './use-row-focus'

afterEach(cleanup)

/** Rows 0–2 drawn as Virtuoso draws them; `scrolled` records each row asked to be scrolled into view. */
function rows(focus: RowFocus, scrolled: number[] = []): void {
  render(
    <ul data-testid="scroller" onKeyDown={(event) => focus.onListKey(event, 3)}>
      {[0, 1, 2].map((index) => (
        <li key={index} data-index={index}>
          <button type="button" className="session-open" data-testid={`open-${index}`} />
          <button type="button" className="session-delete" data-testid={`delete-${index}`} />
        </li>
      ))}
    </ul>
  )
  focus.scroller.current = screen.getByTestId('scroller')
  const list: Pick<VirtuosoHandle, 'scrollIntoView'> = {
    scrollIntoView: (location) => {
      scrolled.push(location.index)
      location.done?.()
    }
  }
  focus.list.current = list as VirtuosoHandle
}

describe('useRowFocus', () => {
  it('Up, Down, Home and End on a row move the focus among the rows, scrolling the row into view first', () => {
    const focus = renderHook(() => useRowFocus()).result.current
    const scrolled: number[] = []
    rows(focus, scrolled)
    screen.getByTestId('open-0').focus()
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })).toBe(false)
    expect(document.activeElement).toBe(screen.getByTestId('open-1'))
    fireEvent.keyDown(document.activeElement!, { key: 'End' })
    expect(document.activeElement).toBe(screen.getByTestId('open-2'))
    fireEvent.keyDown(document.activeElement!, { key: 'Home' })
    expect(document.activeElement).toBe(screen.getByTestId('open-0'))
    expect(scrolled).toEqual([1, 2, 0])
  })

  it("leaves keys past the ends, and keys on a row's other buttons, to the page", () => {
    const focus = renderHook(() => useRowFocus()).result.current
    rows(focus)
    screen.getByTestId('open-0').focus()
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' })).toBe(true)
    screen.getByTestId('delete-0').focus()
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })).toBe(true)
    expect(document.activeElement).toBe(screen.getByTestId('delete-0'))
  })

  it('focusRow focuses a row not drawn yet once the list has scrolled to it', () => {
    const focus = renderHook(() => useRowFocus()).result.current
    rows(focus)
    focus.focusRow(2)
    expect(document.activeElement).toBe(screen.getByTestId('open-2'))
  })
})
