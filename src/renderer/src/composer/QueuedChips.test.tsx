// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { QueuedChip } from '../activity/session-activity'
import { QueuedChips } from './QueuedChips'

afterEach(cleanup)

const queued = (...prompts: string[]): QueuedChip[] =>
  prompts.map((prompt) => ({ runId: `run-${prompt}`, prompt, state: 'queued', attachments: 0 }))

/** The composer with its chips; `settles`: main says the queue changed as soon as a chip is removed, or never. */
function ComposerWithChips(props: { chips: readonly QueuedChip[]; settles: boolean }): JSX.Element {
  const [chips, setChips] = useState(props.chips)
  const remove = (runId: string): void => {
    if (props.settles) setChips((current) => current.filter((chip) => chip.runId !== runId))
  }
  return (
    <>
      <QueuedChips chips={chips} onRemove={remove} />
      <textarea data-testid="composer-input" aria-label="Prompt" />
    </>
  )
}

/** The × of the chip that says `prompt`. */
const removeOf = (prompt: string): HTMLElement => {
  const chip = screen.getAllByTestId('queued-chip').find((item) => item.textContent?.includes(prompt))
  const button = chip?.querySelector<HTMLElement>('[data-testid="remove-chip"]')
  if (!button) throw new Error(`no chip says ${prompt}`)
  return button
}

/** Enter on a focused button, as the browser does it: a click on what holds the focus. */
const removeWithKeyboard = (prompt: string): void => {
  removeOf(prompt).focus()
  fireEvent.click(removeOf(prompt))
}

describe('QueuedChips removing', () => {
  it("moves the focus to the next chip's ×, the previous one's after the last, then to the composer", () => {
    render(<ComposerWithChips chips={queued('one', 'two', 'three')} settles />)
    removeWithKeyboard('two')
    expect(document.activeElement).toBe(removeOf('three'))
    removeWithKeyboard('three')
    expect(document.activeElement).toBe(removeOf('one'))
    removeWithKeyboard('one')
    expect(screen.queryByTestId('queued-chip')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })

  it("doesn't hand the focus to a chip already removed that main hasn't taken off yet", () => {
    render(<ComposerWithChips chips={queued('one', 'two')} settles={false} />)
    removeWithKeyboard('one')
    expect(document.activeElement).toBe(removeOf('two'))
    removeWithKeyboard('two')
    expect(document.activeElement).toBe(screen.getByTestId('composer-input'))
  })
})
