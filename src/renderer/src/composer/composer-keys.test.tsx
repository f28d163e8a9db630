// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { composerKeys } from './composer-keys'

afterEach(cleanup)

function box(stop: (() => void) | undefined): { send: () => void; textarea: HTMLElement } {
  const send = vi.fn()
  render(<textarea data-testid="box" onKeyDown={composerKeys({ send, stop })} />)
  return { send, textarea: screen.getByTestId('box') }
}

describe('composerKeys', () => {
  it('Enter sends (its own new line is not typed); Shift+Enter and an input method confirming its text do not', () => {
    const { send, textarea } = box(undefined)
    expect(fireEvent.keyDown(textarea, { key: 'Enter' })).toBe(false)
    expect(send).toHaveBeenCalledTimes(1)
    expect(fireEvent.keyDown(textarea, { key: 'Enter', shiftKey: true })).toBe(true)
    expect(fireEvent.keyDown(textarea, { key: 'Enter', isComposing: true })).toBe(true)
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('Esc stops the answer while there is one, and is left to the window (it closes panels) while there is none', () => {
    const stop = vi.fn()
    expect(fireEvent.keyDown(box(stop).textarea, { key: 'Escape' })).toBe(false)
    expect(stop).toHaveBeenCalledTimes(1)
    cleanup()
    expect(fireEvent.keyDown(box(undefined).textarea, { key: 'Escape' })).toBe(true)
  })
})
