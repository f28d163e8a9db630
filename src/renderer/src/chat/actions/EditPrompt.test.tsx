// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { useState, type JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { limits, type AttachmentRef } from '../../../../shared'
import type { AttachDeps } from '../../attachments/attach-files'
import { bytesToBase64, readAllBytes, sha256Hex } from '../../attachments/file-bytes'
import { overLimitText, pastedTextName } from '../../composer/long-prompt'
import { FakeParleyApi } from '../../testing/fake-parley-api'
import { EditPrompt } from './EditPrompt'

afterEach(cleanup)

/** The attach worker's steps in process (happy-dom has no Worker), main's store a fake; `held` keeps a file reading. */
function attachDeps(api = new FakeParleyApi(), held: Promise<void> = Promise.resolve()): AttachDeps {
  return {
    api,
    prepare: async (file, _request, onProgress) => {
      await held
      const bytes = await readAllBytes(file, onProgress)
      return { type: 'done', sha256: await sha256Hex(bytes), dataBase64: bytesToBase64(bytes), thumbnail: null }
    },
    keepThumbnail: () => Promise.resolve()
  }
}
const attach = attachDeps()

describe('EditPrompt', () => {
  it('takes the focus from the composer as it opens, with the prompt in it', () => {
    const composer = document.createElement('textarea')
    document.body.append(composer)
    composer.focus()
    render(<EditPrompt text="two" attachments={[]} onSave={() => undefined} onCancel={() => undefined} attach={attach} />)
    const box = screen.getByTestId('edit-prompt-input')
    expect(box).toHaveProperty('value', 'two')
    expect(document.activeElement).toBe(box)
    composer.remove()
  })

  it('saves the new text on Enter, adds a line on Shift+Enter, and leaves on Esc', () => {
    const onSave = vi.fn()
    const onCancel = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={onCancel} attach={attach} />)
    const box = screen.getByTestId('edit-prompt-input')
    fireEvent.change(box, { target: { value: 'two, again' } })
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true })
    expect(onSave).not.toHaveBeenCalled()
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSave).toHaveBeenCalledWith('two, again', [])
    fireEvent.keyDown(box, { key: 'Escape' })
    expect(onCancel).toHaveBeenCalledTimes(1)
  })
})

/** The composer, and a prompt whose editor closes as it is saved or cancelled (as its bubble's does). */
function PromptWithEditor(): JSX.Element {
  const [editing, setEditing] = useState(true)
  return (
    <>
      <textarea data-testid="composer-input" aria-label="Prompt" />
      {editing ? <EditPrompt text="two" attachments={[]} onSave={() => setEditing(false)} onCancel={() => setEditing(false)} attach={attach} /> : null}
    </>
  )
}

describe('EditPrompt leaving', () => {
  const leaves: [string, (box: HTMLElement) => void][] = [
    ['Enter (saved)', (box) => fireEvent.keyDown(box, { key: 'Enter' })],
    ['Esc (cancelled)', (box) => fireEvent.keyDown(box, { key: 'Escape' })],
    ['Save', () => fireEvent.click(screen.getByTestId('edit-save'))],
    ['Cancel', () => fireEvent.click(screen.getByTestId('edit-cancel'))]
  ]
  it.each(leaves)('gives the focus back to the composer when left with %s, so the next typing is not lost', (_, leave) => {
    render(<PromptWithEditor />)
    const box = screen.getByTestId('edit-prompt-input')
    expect(document.activeElement).toBe(box)
    leave(box)
    expect(screen.queryByTestId('edit-prompt')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })
})

describe('EditPrompt: a text too long to go', () => {
  it('says so under the box as it is typed, in the composer’s words, and can’t be saved until it is shorter', () => {
    const onSave = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={() => undefined} attach={attach} />)
    const box = screen.getByTestId('edit-prompt-input')
    const save = screen.getByTestId('edit-save')
    expect(screen.queryByTestId('edit-long-prompt')).toBeNull()

    const long = 'x'.repeat(limits.promptChars + 1)
    fireEvent.change(box, { target: { value: long } })
    const notice = screen.getByTestId('edit-long-prompt')
    expect(notice.querySelector('p')?.textContent).toBe(`${overLimitText(long) ?? ''} Shorten it, or attach it as a file.`)
    expect(notice.getAttribute('role')).toBe('alert')
    expect(box.getAttribute('aria-describedby')).toBe(notice.id)
    expect(save).toHaveProperty('disabled', true)
    fireEvent.keyDown(box, { key: 'Enter' })
    // Each Enter refused draws the notice anew (a screen reader reads it again), as the composer's Send does.
    const again = screen.getByTestId('edit-long-prompt')
    expect(again).not.toBe(notice)
    fireEvent.click(save)
    expect(onSave).not.toHaveBeenCalled()
    expect(screen.getByTestId('edit-prompt')).toBeTruthy()

    fireEvent.change(box, { target: { value: 'x'.repeat(limits.promptChars) } })
    expect(screen.queryByTestId('edit-long-prompt')).toBeNull()
    expect(save).toHaveProperty('disabled', false)
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSave).toHaveBeenCalledTimes(1)
  })
})

describe('EditPrompt: "Attach it as a file"', () => {
  const long = 'y'.repeat(limits.promptChars + 5)
  const typeLong = (): HTMLElement => {
    const box = screen.getByTestId('edit-prompt-input')
    fireEvent.change(box, { target: { value: long } })
    return box
  }

  it('attaches the text as pasted text.txt beside the kept files, clears the box, and saves the edit with it', async () => {
    const api = new FakeParleyApi()
    const onSave = vi.fn<(text: string, attachments: AttachmentRef[]) => void>()
    const kept: AttachmentRef = { id: 'a1', name: 'notes.md', mimeType: 'text/markdown', size: 3, kind: 'text' }
    render(<EditPrompt text="two" attachments={[kept]} onSave={onSave} onCancel={() => undefined} attach={attachDeps(api)} />)
    const box = typeLong()
    await act(async () => {
      fireEvent.click(screen.getByTestId('edit-prompt-as-file'))
    })
    await waitFor(() => expect(screen.getAllByTestId('attachment-name').map((name) => name.textContent)).toEqual(['notes.md', pastedTextName]))
    expect(box).toHaveProperty('value', '')
    expect(screen.queryByTestId('edit-long-prompt')).toBeNull()
    await waitFor(() => expect(screen.getByTestId('edit-save')).toHaveProperty('disabled', false))
    await waitFor(() => {
      fireEvent.click(screen.getByTestId('edit-save'))
      expect(onSave).toHaveBeenCalledTimes(1)
    })
    const [text, refs] = onSave.mock.calls[0] ?? []
    expect(text).toBe('')
    expect(refs?.map((ref) => ref.name)).toEqual(['notes.md', pastedTextName])
    const file = refs?.[1]
    const stored = file ? api.attachments.get(file.id) : undefined
    expect(stored && new TextDecoder().decode(Uint8Array.from(atob(stored.dataBase64), (c) => c.charCodeAt(0)))).toBe(long)
  })

  it('waits for the file: Save says what it waits for and sends nothing until it is attached', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const onSave = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={() => undefined} attach={attachDeps(new FakeParleyApi(), held)} />)
    typeLong()
    fireEvent.click(screen.getByTestId('edit-prompt-as-file'))
    fireEvent.change(screen.getByTestId('edit-prompt-input'), { target: { value: 'summarise it' } })
    fireEvent.click(screen.getByTestId('edit-save'))
    expect(onSave).not.toHaveBeenCalled()
    expect(screen.getByTestId('edit-problem').textContent).toBe(`Wait until ${pastedTextName} is attached.`)
    expect(screen.getByTestId('edit-prompt')).toBeTruthy()
    await act(async () => {
      release()
      await held
    })
    await waitFor(() => {
      fireEvent.click(screen.getByTestId('edit-save'))
      expect(onSave).toHaveBeenCalledTimes(1)
    })
    expect(onSave.mock.calls[0]?.[0]).toBe('summarise it')
  })

  it('gives the text back when main refuses the file: nothing is lost', async () => {
    const api = new FakeParleyApi()
    api.putAttachmentAnswer = () => Promise.reject(new Error('The disk is full.'))
    const onSave = vi.fn()
    render(<EditPrompt text="two" attachments={[]} onSave={onSave} onCancel={() => undefined} attach={attachDeps(api)} />)
    const box = typeLong()
    await act(async () => {
      fireEvent.click(screen.getByTestId('edit-prompt-as-file'))
    })
    await waitFor(() => expect(box).toHaveProperty('value', long))
    expect(screen.getByTestId('edit-long-prompt')).toBeTruthy()
    expect(onSave).not.toHaveBeenCalled()
  })
})
