// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MessageRow } from '../db/schema'
import { linearChatRows } from '../testing/history-fixtures'
import type { BranchItem } from './branch'
import { fingerprintOf, readKeptScreen } from './first-screen'
import { markdownCode } from './markdown-code'
import { useScreenKept } from './use-screen-kept'

/** The rows as a chat list draws them, answers formatted by the stack (a paragraph each). */
function rowsHtml(rows: readonly MessageRow[]): string {
  return rows
    .map((row) => {
      const text = row.parts.map((part) => ('text' in part ? part.text : '')).join('')
      const body = row.role === 'assistant' ? `<div class="message-text"><div class="markdown"><p>${text}</p></div></div>` : `<p>${text}</p>`
      return `<article data-message-id="${row.id}" data-role="${row.role}" data-status="${row.status}">${body}</article>`
    })
    .join('')
}

function List(props: { rows: readonly MessageRow[]; drawn: readonly MessageRow[]; live: boolean }): JSX.Element {
  const frame = useRef<HTMLDivElement>(null)
  const branch: BranchItem<MessageRow>[] = props.rows.map((message) => ({ message, siblings: [message.id], index: 0 }))
  useScreenKept(frame, 's1', branch, props.live)
  return <div ref={frame} dangerouslySetInnerHTML={{ __html: rowsHtml(props.drawn) }} />
}

const kept = (): ReturnType<typeof readKeptScreen> => readKeptScreen(localStorage)

beforeAll(async () => {
  // The hook keeps only what the markdown stack drew.
  await markdownCode.load()
})

afterEach(() => {
  cleanup()
  localStorage.clear()
})

describe('useScreenKept', () => {
  it("keeps the list's screen once the window is idle, and the new one when an answer came at its end", async () => {
    const rows = linearChatRows('s1', 4)
    const view = render(<List rows={rows} drawn={rows} live />)
    await vi.waitFor(() => expect(kept()?.leafId).toBe('m3'))
    expect(kept()?.answers).toEqual([
      { id: 'm1', fingerprint: fingerprintOf('Message 1'), html: '<p>Message 1</p>' },
      { id: 'm3', fingerprint: fingerprintOf('Message 3'), html: '<p>Message 3</p>' }
    ])
    const more = linearChatRows('s1', 6)
    view.rerender(<List rows={more} drawn={more} live />)
    await vi.waitFor(() => expect(kept()?.leafId).toBe('m5'))
    expect(kept()?.answers.map((answer) => answer.id)).toEqual(['m1', 'm3', 'm5'])
  })

  it('keeps nothing while the last answer streams, and the screen once it finished', async () => {
    const rows = linearChatRows('s1', 4)
    const last = rows[3]
    if (!last) throw new Error('four rows')
    const streaming = [...rows.slice(0, 3), { ...last, status: 'streaming' as const }]
    const view = render(<List rows={streaming} drawn={streaming} live />)
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(kept()).toBeUndefined()
    window.dispatchEvent(new Event('pagehide'))
    expect(kept()).toBeUndefined()
    view.rerender(<List rows={rows} drawn={rows} live />)
    await vi.waitFor(() => expect(kept()?.leafId).toBe('m3'))
  })

  it('looks again while the rows at its end are still coming', async () => {
    const rows = linearChatRows('s1', 4)
    // Drawn without its last rows yet (a list drawing its first rows): nothing to keep until they come.
    const view = render(<List rows={rows} drawn={rows.slice(0, 2)} live />)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(kept()).toBeUndefined()
    view.container.firstElementChild?.insertAdjacentHTML('beforeend', rowsHtml(rows.slice(2)))
    await vi.waitFor(() => expect(kept()?.leafId).toBe('m3'), { timeout: 3_000 })
  })

  it('keeps nothing from a list away from the live end, and keeps the screen as the window goes away', async () => {
    const rows = linearChatRows('s1', 4)
    const view = render(<List rows={rows} drawn={rows} live={false} />)
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(kept()).toBeUndefined()
    view.rerender(<List rows={rows} drawn={rows} live />)
    await vi.waitFor(() => expect(kept()?.leafId).toBe('m3'))
    // What the stack drew changed since (an answer drawn anew): the window going away keeps it as it is then.
    const answer = document.querySelector('[data-message-id="m3"] .markdown')
    if (answer) answer.innerHTML = '<p><strong>Message 3</strong></p>'
    window.dispatchEvent(new Event('pagehide'))
    expect(kept()?.answers.at(-1)?.html).toBe('<p><strong>Message 3</strong></p>')
  })
})
