// @vitest-environment happy-dom
import { cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageRow } from '../db/schema'
import type { BranchItem } from './branch'
import { estimatedRowHeight } from './row-height'
import { firstRows } from './use-end-first'
import { useListOpening } from './use-list-opening'

afterEach(cleanup)

function branchOf(count: number, last = 'A short answer.'): BranchItem<MessageRow>[] {
  return Array.from({ length: count }, (_, index) => ({
    message: {
      id: `m${index}`,
      sessionId: 's',
      runId: `r${index}`,
      role: index % 2 === 0 ? 'user' : 'assistant',
      parts: [{ type: 'text', text: index === count - 1 ? last : `Message ${index}` }],
      status: 'finished',
      createdAt: index,
      seq: index,
      createdSeq: index
    },
    siblings: [],
    index: 0
  }))
}

const open = (branch: BranchItem<MessageRow>[], targetAt = -1) =>
  renderHook(() => useListOpening({ frame: { current: null }, branch, firstIndex: 1_000_000, opening: 0, targetAt, atBottom: () => undefined })).result
    .current

describe('useListOpening', () => {
  it('opens a chat of more than the first rows end first: its last rows alone, numbered as in the whole list', () => {
    const opened = open(branchOf(100))
    expect(opened.phase).toBe('last')
    expect(opened.list.data.map((item) => item.message.id)).toEqual(Array.from({ length: firstRows }, (_, at) => `m${100 - firstRows + at}`))
    expect(opened.list.firstItemIndex).toBe(1_000_000 + 100 - firstRows)
    expect(opened.list.initialTopMostItemIndex).toBeUndefined()
    expect(opened.list.alignToBottom).toBe(true)
    // Sized by the rows it draws first, as end first always was.
    expect(opened.list.heightEstimates).toBeUndefined()
  })

  it("leaves a new chat's first rows, a tall last answer and a message opened at to Virtuoso's own opening", () => {
    const cases: [BranchItem<MessageRow>[], number][] = [
      [branchOf(firstRows), -1],
      [branchOf(100, 'line\n'.repeat(200)), -1],
      [branchOf(100), 40]
    ]
    for (const [branch, targetAt] of cases) {
      const opened = open(branch, targetAt)
      expect(opened.phase).toBe('off')
      expect(opened.list.data).toBe(branch)
      expect(opened.list.firstItemIndex).toBe(1_000_000)
      expect(opened.list.initialTopMostItemIndex).toEqual(opened.place)
      expect(opened.list.alignToBottom).toBe(false)
    }
    expect(open(branchOf(100), 40).place).toEqual({ index: 40, align: 'center' })
  })

  it("gives Virtuoso's own opening each row's guessed height, made once for the opening however the rows change", () => {
    const tall = `${'A long answer line.\n\n'.repeat(150)}`
    const branch = branchOf(100, tall)
    const { result, rerender } = renderHook(
      ({ rows }) => useListOpening({ frame: { current: null }, branch: rows, firstIndex: 1_000_000, opening: 0, targetAt: -1, atBottom: () => undefined }),
      { initialProps: { rows: branch } }
    )
    const estimates = result.current.list.heightEstimates
    expect(estimates).toEqual(branch.map((item) => estimatedRowHeight(item.message)))
    // The tall last answer is guessed tall, so Virtuoso draws it alone instead of as many rows as a short one's size fits.
    expect(estimates?.at(-1)).toBeGreaterThan(20 * (estimates?.[0] ?? 0))
    rerender({ rows: branchOf(101, tall) })
    expect(result.current.list.heightEstimates).toBe(estimates)
  })
})

