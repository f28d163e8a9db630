// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ComposerActions } from './ComposerActions'

afterEach(cleanup)

describe('ComposerActions', () => {
  it('while the chat is idle: Stop is laid out but hidden, out of the tab order and disabled; Send sends', () => {
    const onSend = vi.fn()
    render(<ComposerActions busy={false} canSend onSend={onSend} onStop={() => undefined} />)
    const stop = screen.getByTestId('stop-button') as HTMLButtonElement
    expect([stop.className, stop.getAttribute('aria-hidden'), stop.tabIndex, stop.disabled]).toEqual(['button stop-button idle', 'true', -1, true])
    const send = screen.getByTestId('send-button') as HTMLButtonElement
    expect([send.textContent, send.getAttribute('aria-label')]).toEqual(['Send', 'Send the prompt (Enter)'])
    fireEvent.click(send)
    expect(onSend).toHaveBeenCalledTimes(1)
  })

  it('while the chat answers: Stop shows and stops, and Send queues; with nothing to send, Send is disabled', () => {
    const onStop = vi.fn()
    render(<ComposerActions busy canSend={false} onSend={() => undefined} onStop={onStop} />)
    const stop = screen.getByTestId('stop-button') as HTMLButtonElement
    expect([stop.className, stop.getAttribute('aria-hidden'), stop.tabIndex, stop.disabled]).toEqual(['button stop-button', 'false', 0, false])
    fireEvent.click(stop)
    expect(onStop).toHaveBeenCalledTimes(1)
    const send = screen.getByTestId('send-button') as HTMLButtonElement
    expect([send.textContent, send.getAttribute('aria-label'), send.disabled]).toEqual(['Queue', 'Queue the prompt (Enter)', true])
  })
})
