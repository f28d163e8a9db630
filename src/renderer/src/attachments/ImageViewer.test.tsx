// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { AttachmentRef } from '../../../shared'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { MessageAttachments } from './MessageAttachments'
import { ShownImage, shownImage } from './shown-image'
import { provideAttachmentServices } from './services'
import { Thumbnails } from './thumbnails'
import { VisionCheck } from './vision-check'

afterEach(() => {
  cleanup()
  act(() => shownImage.close())
})

const photo: AttachmentRef = { id: 'a'.repeat(64), name: 'photo.png', mimeType: 'image/png', size: 2048, kind: 'image' }

/** A message's image thumbnail as the chat draws it, with the composer and a control behind the viewer. */
async function renderThumbnail() {
  const api = new FakeParleyApi()
  const db = freshDatabase()
  provideAttachmentServices(api, {
    attach: { api, prepare: () => Promise.reject(new Error('not here')), keepThumbnail: () => Promise.resolve() },
    thumbnails: new Thumbnails(db, () => Promise.resolve('data:image/webp;base64,AA')),
    vision: new VisionCheck(api),
    openImage: () => Promise.resolve('data:image/png;base64,AA')
  })
  const services = testServices({ api, db })
  // The chat's row with the thumbnail (`row`: drawn or not), and the window's viewer.
  const page = (row: boolean) => (
    <ParleyProvider services={services}>
      {row ? <MessageAttachments attachments={[photo]} /> : null}
      <button type="button">Behind</button>
      <textarea data-testid="composer-input" aria-label="Prompt" />
      <ShownImage />
    </ParleyProvider>
  )
  const { rerender } = render(page(true))
  const thumbnail = screen.getByRole('button', { name: 'Open photo.png' })
  thumbnail.focus()
  await act(async () => fireEvent.click(thumbnail))
  return { thumbnail, close: () => screen.getByRole('button', { name: 'Close (Esc)' }), rowGone: () => rerender(page(false)) }
}

const tab = (shift = false): void => void fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: shift })

describe('the image viewer, as a modal dialog', () => {
  it('is a dialog named by the image, and takes the focus on its close button', async () => {
    const { close } = await renderThumbnail()
    const dialog = screen.getByRole('dialog', { name: 'photo.png' })
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(document.activeElement).toBe(close())
  })

  it('Tab and Shift+Tab stay inside it, even from the page behind', async () => {
    const { close } = await renderThumbnail()
    tab()
    expect(document.activeElement).toBe(close())
    tab(true)
    expect(document.activeElement).toBe(close())
    act(() => screen.getByRole('button', { name: 'Behind' }).focus())
    tab()
    expect(document.activeElement).toBe(close())
  })

  it('Esc closes it from anywhere, and the focus goes back to the thumbnail that opened it', async () => {
    const { thumbnail } = await renderThumbnail()
    act(() => (document.activeElement as HTMLElement).blur())
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(thumbnail)
  })

  it('the close button closes it, and the focus goes back to the thumbnail', async () => {
    const { thumbnail, close } = await renderThumbnail()
    fireEvent.click(close())
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(thumbnail)
  })

  it('stays open when the row that opened it is no longer drawn (the list following an answer); closed, the focus goes to the composer', async () => {
    const { close, rowGone } = await renderThumbnail()
    rowGone()
    expect(screen.queryByRole('button', { name: 'Open photo.png' })).toBeNull()
    expect(screen.getByRole('dialog', { name: 'photo.png' })).toBeTruthy()
    fireEvent.click(close())
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })
})
