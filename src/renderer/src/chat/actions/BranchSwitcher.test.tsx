// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import type { JSX } from 'react'
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

  /** The chat as the list draws it: each version in a row of its own (keyed by its id), and the composer below. */
  function renderChat(siblings: readonly string[], index: number) {
    const api = new FakeParleyApi()
    const services = testServices({ api })
    const chat = (at: number): JSX.Element => (
      <ParleyProvider services={services}>
        <BranchSwitcher key={siblings[at]} sessionId="chat" siblings={siblings} index={at} />
        <textarea data-testid="composer-input" aria-label="Prompt" />
      </ParleyProvider>
    )
    const view = render(chat(index))
    return { api, services, show: (at: number) => view.rerender(chat(at)) }
  }

  it('an arrow pressed with the keyboard keeps the focus on the version it shows, or the other arrow at the last one', async () => {
    const { show } = renderChat(['a', 'b', 'c'], 0)
    screen.getByTestId('branch-next').focus()
    await act(async () => screen.getByTestId('branch-next').click())
    show(1)
    expect(document.activeElement).toBe(screen.getByTestId('branch-next'))
    await act(async () => screen.getByTestId('branch-next').click())
    show(2)
    expect(document.activeElement).toBe(screen.getByTestId('branch-previous'))
  })

  it('the chat starting to answer disables the arrow under the focus: the focus waits on the switcher, which says why', () => {
    const { services } = renderChat(['a', 'b', 'c'], 1)
    screen.getByTestId('branch-next').focus()
    act(() => services.activity.take({ type: 'session.busy', sessionId: 'chat', busy: true, seq: 1, at: 0 }))
    const switcher = screen.getByTestId('branch-switcher')
    expect(screen.getByTestId('branch-next')).toHaveProperty('disabled', true)
    expect(document.activeElement).toBe(switcher)
    expect(screen.getByRole('group', { name: 'Version 2 of 3 (switching waits until this chat has answered)' })).toBe(switcher)
    // The answer over, the arrows are back; the focus stays where it waited, and Tab goes on from there.
    act(() => services.activity.take({ type: 'session.busy', sessionId: 'chat', busy: false, seq: 2, at: 0 }))
    expect(document.activeElement).toBe(switcher)
  })

  it('the arrow under the focus disabled at the first or last version, the same switcher drawn again: the other arrow takes it', () => {
    const api = new FakeParleyApi()
    const services = testServices({ api })
    const chat = (at: number): JSX.Element => (
      <ParleyProvider services={services}>
        <BranchSwitcher sessionId="chat" siblings={['a', 'b', 'c']} index={at} />
      </ParleyProvider>
    )
    const view = render(chat(1))
    screen.getByTestId('branch-next').focus()
    view.rerender(chat(2))
    expect(document.activeElement).toBe(screen.getByTestId('branch-previous'))
    view.rerender(chat(0))
    expect(document.activeElement).toBe(screen.getByTestId('branch-next'))
  })

  it('while a switch is on its way (both arrows off) the focus waits on the switcher, then goes to the version shown', async () => {
    const { api, show } = renderChat(['a', 'b', 'c'], 0)
    let answer: () => void = () => undefined
    api.switchBranch = (_sessionId, messageId) => new Promise<string>((resolve) => (answer = () => resolve(messageId)))
    screen.getByTestId('branch-next').focus()
    await act(async () => screen.getByTestId('branch-next').click())
    expect(document.activeElement).toBe(screen.getByTestId('branch-switcher'))
    await act(async () => answer())
    show(1)
    expect(document.activeElement).toBe(screen.getByTestId('branch-next'))
  })

  it('an answer starting leaves the focus alone when it is elsewhere (the composer)', () => {
    const { services } = renderChat(['a', 'b'], 1)
    screen.getByTestId('branch-previous').focus()
    screen.getByTestId('composer-input').focus()
    act(() => services.activity.take({ type: 'session.busy', sessionId: 'chat', busy: true, seq: 1, at: 0 }))
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })

  it('a switch main refused gives the focus back to the arrow pressed', async () => {
    const { api } = renderChat(['a', 'b'], 1)
    api.switchBranch = () => Promise.reject(new Error('busy'))
    screen.getByTestId('branch-previous').focus()
    await act(async () => screen.getByTestId('branch-previous').click())
    expect(document.activeElement).toBe(screen.getByTestId('branch-previous'))
  })
})
