// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Region } from './Region'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const failing = { now: true }
function Fragile(props: { label: string }): React.JSX.Element {
  if (failing.now) throw new Error(`cannot draw ${props.label}`)
  return <p>{props.label} drawn</p>
}

describe('Region (a render error kept where it happened)', () => {
  it('shows what failed in its place, leaves the rest of the window drawn, and says so in the console', () => {
    failing.now = true
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    render(
      <div>
        <p>the sidebar</p>
        <Region name="this chat">
          <Fragile label="chat" />
        </Region>
      </div>
    )
    expect(screen.getByText('the sidebar')).toBeTruthy()
    expect(screen.getByRole('alert').textContent).toContain('Parley could not draw this chat: cannot draw chat')
    expect(logged).toHaveBeenCalledWith('Parley could not draw part of its window:', expect.any(Error), expect.anything())
  })

  it('draws its part again on Try again, and when its key changes (another chat shown)', () => {
    failing.now = true
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const view = (key: string) => (
      <Region name="this chat" resetKey={key}>
        <Fragile label={key} />
      </Region>
    )
    const { rerender } = render(view('a'))
    failing.now = false
    // The same key: still the error (nothing asked to draw it again).
    rerender(view('a'))
    expect(screen.getByTestId('region-error')).toBeTruthy()
    fireEvent.click(screen.getByText('Try again'))
    expect(screen.getByText('a drawn')).toBeTruthy()

    failing.now = true
    rerender(view('b'))
    expect(screen.getByTestId('region-error').textContent).toContain('cannot draw b')
    failing.now = false
    act(() => rerender(view('c')))
    expect(screen.getByText('c drawn')).toBeTruthy()
  })

  it('offers Close where one is given (a dialog that would fail again)', () => {
    failing.now = true
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const closed = vi.fn()
    render(
      <Region name="the settings" onClose={closed}>
        <Fragile label="settings" />
      </Region>
    )
    fireEvent.click(screen.getByText('Close'))
    expect(closed).toHaveBeenCalledOnce()
  })
})
