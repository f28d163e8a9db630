// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ParleyProvider } from '../../parley-context'
import { testServices } from '../../testing/test-services'
import { ChatOptions } from './ChatOptions'

afterEach(cleanup)

describe('ChatOptions: Advanced', () => {
  it('Esc in the panel closes it only: the window never hears it (it would stop the answer), and the focus goes back to its button', async () => {
    const windowKeys = vi.fn()
    window.addEventListener('keydown', windowKeys)
    try {
      render(
        <ParleyProvider services={testServices()}>
          <ChatOptions sessionId="chat" options={undefined} />
        </ParleyProvider>
      )
      const toggle = screen.getByTestId('chat-advanced-toggle')
      await act(async () => fireEvent.click(toggle))
      const prompt = screen.getByTestId('chat-system-prompt')
      prompt.focus()
      await act(async () => fireEvent.keyDown(prompt, { key: 'Escape' }))
      expect(screen.queryByTestId('chat-advanced')).toBeNull()
      expect(windowKeys).not.toHaveBeenCalled()
      expect(document.activeElement).toBe(toggle)
    } finally {
      window.removeEventListener('keydown', windowKeys)
    }
  })
})
