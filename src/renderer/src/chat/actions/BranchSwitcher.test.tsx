// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../../parley-context'
import { FakeParleyApi } from '../../testing/fake-parley-api'
import { testServices } from '../../testing/test-services'
import { BranchSwitcher } from './BranchSwitcher'

afterEach(cleanup)

describe('BranchSwitcher (H3)', () => {
  it('waits while the chat answers, says so, and switches once it has answered', async () => {
    const api = new FakeParleyApi()
    const services = testServices({ api })
    render(
      <ParleyProvider services={services}>
        <BranchSwitcher sessionId="chat" siblings={['a', 'b']} index={1} />
      </ParleyProvider>
    )
    const previous = (): HTMLButtonElement => screen.getByTestId('branch-previous')
    expect(previous().disabled).toBe(false)
    act(() => services.activity.take({ type: 'session.busy', sessionId: 'chat', busy: true, seq: 1, at: 0 }))
    expect(previous().disabled).toBe(true)
    expect(previous().getAttribute('aria-label')).toBe('Previous version (once this chat has answered)')
    act(() => services.activity.take({ type: 'session.busy', sessionId: 'chat', busy: false, seq: 2, at: 0 }))
    expect(previous().disabled).toBe(false)
    expect(previous().getAttribute('aria-label')).toBe('Previous version')
    await act(async () => previous().click())
    expect(api.calls).toContainEqual({ method: 'switchBranch', args: ['chat', 'a'] })
  })
})
