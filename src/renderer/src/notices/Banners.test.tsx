// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../parley-context'
import { deleteWithUndo } from '../sessions/delete-with-undo'
import { testServices } from '../testing/test-services'
import { Banners } from './Banners'

afterEach(cleanup)

function renderBanners(): ReturnType<typeof testServices> {
  const services = testServices()
  render(
    <ParleyProvider services={services}>
      <Banners />
      <textarea data-testid="composer-input" aria-label="Prompt" />
    </ParleyProvider>
  )
  return services
}

describe('the banners', () => {
  it('a brief notice is drawn over the page in its own live region, not among the banners that push the window down', () => {
    const services = renderBanners()
    act(() => services.notices.show({ id: 'offline-ish', tone: 'warning', text: 'The server is slow.', dismissible: true }))
    act(() => services.notices.show({ id: 'copied', tone: 'info', text: 'Copied the last answer.', dismissible: false, brief: true }))
    const brief = screen.getByTestId('brief-notices')
    expect(brief.getAttribute('role')).toBe('status')
    expect(brief.textContent).toBe('Copied the last answer.')
    const banners = document.querySelector('.banners')
    expect(banners?.textContent).toContain('The server is slow.')
    expect(banners?.textContent).not.toContain('Copied')
    act(() => services.notices.dismiss('copied'))
    expect(screen.getByTestId('brief-notices').textContent).toBe('')
  })

  it('Undo after deleting a chat brings it back, and its banner goes with the focus to the composer', () => {
    const services = renderBanners()
    const { deletes, notices } = services
    const entry = { kind: 'chat', id: 'chat-1', sessionId: 'chat-1', title: 'Soup' } as const
    act(() => deleteWithUndo({ deletes, notices }, entry, () => Promise.resolve()))
    const undo = screen.getByTestId('undo-delete')
    undo.focus()
    fireEvent.click(undo)
    expect(deletes.getSnapshot().has('chat-1')).toBe(false)
    expect(screen.queryByTestId('undo-delete')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })

  it('a button whose banner stays (Try now) keeps the focus', () => {
    const services = renderBanners()
    const action = { label: 'Try now', testId: 'try-now', run: () => undefined }
    act(() => services.notices.show({ id: 'server', tone: 'error', text: 'The server is not answering.', dismissible: false, action }))
    const tryNow = screen.getByTestId('try-now')
    tryNow.focus()
    fireEvent.click(tryNow)
    expect(document.activeElement).toBe(tryNow)
  })

  it('C3: the offline banner counts down where it is seen, outside its live region, so it is not read out each second', () => {
    const services = renderBanners()
    const status = { type: 'provider.status', providerId: 'ollama', reachable: false, retryInSeconds: 30, detail: 'Connection refused.' } as const
    act(() => services.activity.take({ ...status, seq: 1, at: Date.now() }))
    const banner = screen.getByTestId('banner')
    expect(banner.textContent).toMatch(/Offline: prompts you send wait until the model server answers\. Connection refused\. Retrying in (30|29) s\./)
    // The live region holds the news alone; the countdown is read where it is.
    const live = banner.closest('[role]') ?? banner.querySelector('[role]')
    expect(live?.getAttribute('role')).toBe('status')
    expect(live?.textContent).toBe('Offline: prompts you send wait until the model server answers. Connection refused.')
    expect(screen.getByTestId('banner-aside').closest('[role]')).toBeNull()
  })
})

describe('Banners while the model loads', () => {
  it('C6: the loading banner says it once, in one sentence, with the server\'s own words as a smaller detail', () => {
    const services = renderBanners()
    const status = {
      type: 'provider.status',
      providerId: 'ollama',
      reachable: false,
      state: 'loading',
      detail: 'The model server is still loading the model (503): Loading model.'
    } as const
    act(() => services.activity.take({ ...status, seq: 1, at: Date.now() }))
    const banner = screen.getByTestId('banner')
    expect(banner.textContent).toBe('Loading the model: prompts you send wait, and run by themselves when it is ready. The server answered 503: Loading model.Try now')
    expect(screen.getByTestId('banner-detail').textContent).toBe('The server answered 503: Loading model.')
    expect(banner.textContent?.match(/Loading model/g)).toHaveLength(1)
  })
})
