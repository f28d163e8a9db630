// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { foregroundReads } from '../db/foreground-reads'
import { writeEvents } from '../db/row-writes'
import type { ParleyDatabase } from '../db/schema'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase, userMessage } from '../testing/history-fixtures'
import { SearchDialog } from './SearchDialog'
import { catchUpSearchIndex } from './search-index'

// The read-ahead, held back in the tests that need the IndexedDB search (it answers every query of a small history).
const readAhead = vi.hoisted(() => ({ held: false, fails: false }))
vi.mock('./newest-sample', async (original) => {
  const actual = await original<typeof import('./newest-sample')>()
  return {
    readNewestSample: (db: ParleyDatabase) =>
      readAhead.held ? new Promise(() => undefined) : readAhead.fails ? Promise.reject(new Error('UnknownError: the disk is gone')) : actual.readNewestSample(db)
  }
})

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  readAhead.held = false
  readAhead.fails = false
})

const settled = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)))

async function journals(count: number): Promise<{ db: ParleyDatabase; main: FakeParleyApi }> {
  const main = new FakeParleyApi()
  main.publish({ type: 'session.created', session: { id: 'notes', title: 'Notes', createdAt: 1, updatedAt: 1 } })
  for (let i = 0; i < count; i++) main.publish({ type: 'message.created', message: userMessage('notes', `j${i}`, `journal entry ${i}`, 10 + i) })
  const db = freshDatabase()
  await writeEvents(db, main.published)
  await catchUpSearchIndex(db)
  return { db, main }
}

describe('the search dialog', () => {
  it('starts the search for a typed key in the input event, before React draws the key, and only once', async () => {
    readAhead.held = true
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
    await settled()
    // One search for the key, started while the empty query's hint was still drawn (the effect after the render finds
    // it asked already, and doesn't ask again).
    expect(started).toEqual([{ hintShown: true }])

    // An indexing pass (new messages) searches the same query again, from the effect.
    rerender(dialog(1))
    await settled()
    expect(started).toEqual([{ hintShown: true }, { hintShown: false }])
  })

  it('draws the results in the same render as the typed key when the newest messages answer it (no IndexedDB read)', async () => {
    const { db } = await journals(60)
    const run = vi.spyOn(foregroundReads, 'run')
    render(<SearchDialog db={db} hidden={new Set()} listed={undefined} index={{ kind: 'ready', passes: 0 }} onOpen={() => undefined} onClose={() => undefined} />)
    await settled()
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journ' } })
    // No await: the render that drew the key drew its 50 results.
    expect(screen.getAllByTestId('search-hit')).toHaveLength(50)
    expect(screen.getAllByTestId('search-hit')[0]?.textContent).toContain('journal entry 59')
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal 7' } })
    expect(screen.getAllByTestId('search-hit')[0]?.textContent).toContain('journal entry 7')
    expect(run).not.toHaveBeenCalled()
  })

  it('never lets an IndexedDB search for an earlier key overwrite what the read-ahead answered for a later one', async () => {
    const { db } = await journals(30)
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const run = foregroundReads.run.bind(foregroundReads)
    vi.spyOn(foregroundReads, 'run').mockImplementation(async (read) => {
      await gate
      return run(read)
    })
    render(<SearchDialog db={db} hidden={new Set()} listed={undefined} index={{ kind: 'ready', passes: 0 }} onOpen={() => undefined} onClose={() => undefined} />)
    // Typed before the read-ahead is in: searched in IndexedDB (held).
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal 1' } })
    await settled()
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal 2' } })
    expect(screen.getAllByTestId('search-hit')[0]?.textContent).toContain('journal entry 2')
    release()
    await settled()
    expect(screen.getAllByTestId('search-hit')[0]?.textContent).toContain('journal entry 2')
  })

  it('searches IndexedDB when the read-ahead fails, and stays up', async () => {
    readAhead.fails = true
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { db } = await journals(3)
    render(<SearchDialog db={db} hidden={new Set()} listed={undefined} index={{ kind: 'ready', passes: 0 }} onOpen={() => undefined} onClose={() => undefined} />)
    await settled()
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal' } })
    expect(await screen.findAllByTestId('search-hit')).toHaveLength(3)
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('could not read the newest messages ahead'), expect.any(Error))
  })

  it('answers from what the index holds now: a message indexed while the dialog is open is found', async () => {
    const { db, main } = await journals(3)
    const dialog = (passes: number) => (
      <SearchDialog db={db} hidden={new Set()} listed={undefined} index={{ kind: 'ready', passes }} onOpen={() => undefined} onClose={() => undefined} />
    )
    const { rerender } = render(dialog(0))
    await settled()
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'journal' } })
    expect(screen.getAllByTestId('search-hit')).toHaveLength(3)
    main.publish({ type: 'message.created', message: userMessage('notes', 'late', 'a late journal entry', 99) })
    await writeEvents(db, main.published.slice(-1))
    await catchUpSearchIndex(db)
    rerender(dialog(1))
    await settled()
    expect(screen.getAllByTestId('search-hit')).toHaveLength(4)
    expect(screen.getAllByTestId('search-hit')[0]?.textContent).toContain('a late journal entry')
  })
})
