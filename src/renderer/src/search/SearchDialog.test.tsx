// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { foregroundReads } from '../db/foreground-reads'
import { freshDatabase } from '../testing/history-fixtures'
import { SearchDialog } from './SearchDialog'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('the search dialog', () => {
  it('starts the search for a typed key in the input event, before React draws the key, and only once', async () => {
    const db = freshDatabase()
    const started: { hintShown: boolean }[] = []
    const run = foregroundReads.run.bind(foregroundReads)
    vi.spyOn(foregroundReads, 'run').mockImplementation((read) => {
      // Still drawn for the empty query: React has not rendered the key yet.
      started.push({ hintShown: document.body.textContent.includes('Type a word') })
      return run(read)
    })
    const hidden = new Set<string>()
    const dialog = (passes: number) => (
      <SearchDialog db={db} hidden={hidden} listed={undefined} index={{ kind: 'ready', passes }} onOpen={() => undefined} onClose={() => undefined} />
    )
    const { rerender } = render(dialog(0))
    await act(async () => undefined)
    started.length = 0

    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal' } })
    expect(await screen.findByText(/No message matches/)).toBeTruthy()
    // Settled: the search and anything it set off have run.
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)))
    // One search for the key, started while the empty query's hint was still drawn (the effect after the render finds
    // it asked already, and doesn't ask again).
    expect(started).toEqual([{ hintShown: true }])

    // An indexing pass (new messages) searches the same query again, from the effect.
    rerender(dialog(1))
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)))
    expect(started).toEqual([{ hintShown: true }, { hintShown: false }])
  })
})
