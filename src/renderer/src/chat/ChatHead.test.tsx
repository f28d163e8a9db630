// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { testServices } from '../testing/test-services'
import { ChatHead } from './ChatHead'

afterEach(cleanup)

const sidebar = { shown: true, toggle: () => undefined }

async function renderHead(sessionId = 'chat-1') {
  const api = new FakeParleyApi()
  const services = testServices({ api })
  const head = (id: string) => (
    <ParleyProvider services={services}>
      <ChatHead title="Soup" busy={false} sidebar={sidebar} chat={{ sessionId: id, options: undefined }} />
    </ParleyProvider>
  )
  const view = render(head(sessionId))
  // The header's model picker asks main for its lists as it mounts.
  await act(async () => undefined)
  const renames = () => api.calls.filter((call) => call.method === 'renameSession').map((call) => call.args)
  const title = () => screen.getByRole('heading', { level: 1, name: 'Soup' })
  const field = () => screen.getByRole('textbox', { name: 'Chat title' })
  return { services, renames, title, field, showChat: (id: string) => view.rerender(head(id)) }
}

describe('renaming the open chat from its header', () => {
  it('a double-click on the title opens it with the title in it; Enter renames it through main, and the focus goes back to the title', async () => {
    const { renames, title, field } = await renderHead()
    fireEvent.doubleClick(title())
    expect(field()).toHaveProperty('value', 'Soup')
    expect(document.activeElement).toBe(field())
    fireEvent.change(field(), { target: { value: '  Tomato soup ' } })
    fireEvent.keyDown(field(), { key: 'Enter' })
    expect(renames()).toEqual([['chat-1', 'Tomato soup']])
    expect(screen.queryByRole('textbox', { name: 'Chat title' })).toBeNull()
    expect(document.activeElement).toBe(title())
  })

  it('F2 on the title opens it too; Esc keeps the old title, never reaches the window, and gives the focus back', async () => {
    const { renames, title, field } = await renderHead()
    title().focus()
    fireEvent.keyDown(title(), { key: 'F2' })
    fireEvent.change(field(), { target: { value: 'Not this' } })
    const windowKeys = vi.fn()
    window.addEventListener('keydown', windowKeys)
    try {
      fireEvent.keyDown(field(), { key: 'Escape' })
    } finally {
      window.removeEventListener('keydown', windowKeys)
    }
    expect(renames()).toEqual([])
    expect(windowKeys).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(title())
  })

  it('the pencil opens it, and a click elsewhere (blur) keeps what was typed', async () => {
    const { renames, field } = await renderHead()
    fireEvent.click(screen.getByRole('button', { name: 'Rename this chat' }))
    fireEvent.change(field(), { target: { value: 'Leek soup' } })
    fireEvent.blur(field())
    expect(renames()).toEqual([['chat-1', 'Leek soup']])
    expect(screen.queryByRole('textbox', { name: 'Chat title' })).toBeNull()
  })

  it('an empty or blank title is refused with a hint, the field stays open; a click elsewhere then keeps the old title', async () => {
    const { renames, field, title } = await renderHead()
    fireEvent.doubleClick(title())
    fireEvent.change(field(), { target: { value: '   ' } })
    expect(screen.getByRole('alert')).toHaveProperty('textContent', 'A chat needs a title: type one, or press Esc to keep the old one.')
    expect(field().getAttribute('aria-invalid')).toBe('true')
    fireEvent.keyDown(field(), { key: 'Enter' })
    expect(field()).toBeTruthy()
    expect(renames()).toEqual([])
    fireEvent.blur(field())
    expect(renames()).toEqual([])
    expect(title()).toBeTruthy()
  })

  it('a rename goes to the chat it was started in, even when another chat opens meanwhile', async () => {
    const { renames, field, title, showChat } = await renderHead()
    fireEvent.doubleClick(title())
    fireEvent.change(field(), { target: { value: 'Leek soup' } })
    showChat('chat-2')
    await act(async () => undefined)
    expect(screen.queryByRole('textbox', { name: 'Chat title' })).toBeNull()
    expect(renames().every(([id]) => id === 'chat-1')).toBe(true)
  })

  it('main refusing the rename is said in a banner', async () => {
    const { services, title, field } = await renderHead()
    vi.spyOn(services.api, 'renameSession').mockRejectedValue(new Error('disk full'))
    fireEvent.doubleClick(title())
    fireEvent.change(field(), { target: { value: 'Leek soup' } })
    await act(async () => fireEvent.keyDown(field(), { key: 'Enter' }))
    expect(services.notices.getSnapshot().map((notice) => notice.text)).toEqual(['Parley could not rename the chat: disk full'])
  })
})
