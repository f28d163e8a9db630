// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PaletteDialog } from './PaletteDialog'

afterEach(cleanup)

const fruits = ['apple', 'banana', 'cherry']

/** A palette over three fruits, as the command palette and search use it. */
function Fruits(props: { onChoose: (fruit: string) => void; onClose: () => void }): JSX.Element {
  const [query, setQuery] = useState('')
  const [at, setAt] = useState(0)
  const shown = fruits.filter((fruit) => fruit.includes(query))
  return (
    <PaletteDialog
      label="Fruit palette"
      testId="fruits"
      className="fruit"
      placeholder="Type a fruit…"
      inputLabel="Fruit"
      listId="fruit-list"
      chosenId={shown[at] ? `fruit-${shown[at]}` : undefined}
      query={query}
      onQuery={(typed) => {
        setQuery(typed)
        setAt(0)
      }}
      count={shown.length}
      at={at}
      onMove={setAt}
      onChoose={() => shown[at] && props.onChoose(shown[at])}
      onClose={props.onClose}
    >
      <ul id="fruit-list" role="listbox">
        {shown.map((fruit, index) => (
          <li key={fruit} id={`fruit-${fruit}`} role="option" aria-selected={index === at}>
            {fruit}
          </li>
        ))}
      </ul>
    </PaletteDialog>
  )
}

describe('PaletteDialog', () => {
  it('is a named modal dialog whose box has the focus and points at the chosen option', () => {
    render(<Fruits onChoose={vi.fn()} onClose={vi.fn()} />)
    const dialog = screen.getByRole('dialog', { name: 'Fruit palette' })
    expect(dialog.className).toBe('modal palette fruit')
    const box = screen.getByRole('combobox', { name: 'Fruit' })
    expect(document.activeElement).toBe(box)
    expect(box.getAttribute('aria-controls')).toBe('fruit-list')
    expect(box.getAttribute('aria-activedescendant')).toBe('fruit-apple')
  })

  it('moves the choice with Down and Up, wrapping at either end, and Enter takes the chosen one', () => {
    const onChoose = vi.fn()
    render(<Fruits onChoose={onChoose} onClose={vi.fn()} />)
    const box = screen.getByRole('combobox', { name: 'Fruit' })
    fireEvent.keyDown(box, { key: 'ArrowUp' })
    expect(box.getAttribute('aria-activedescendant')).toBe('fruit-cherry')
    fireEvent.keyDown(box, { key: 'ArrowDown' })
    fireEvent.keyDown(box, { key: 'ArrowDown' })
    expect(box.getAttribute('aria-activedescendant')).toBe('fruit-banana')
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onChoose).toHaveBeenCalledWith('banana')
  })

  it('hands what is typed to its owner, whose list it shows', () => {
    const onChoose = vi.fn()
    render(<Fruits onChoose={onChoose} onClose={vi.fn()} />)
    const box = screen.getByRole('combobox', { name: 'Fruit' })
    fireEvent.change(box, { target: { value: 'err' } })
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['cherry'])
    fireEvent.keyDown(box, { key: 'Enter' })
    expect(onChoose).toHaveBeenCalledWith('cherry')
  })

  it('closes on Esc and on a click outside it, not on a click inside', () => {
    const onClose = vi.fn()
    render(<Fruits onChoose={vi.fn()} onClose={onClose} />)
    fireEvent.mouseDown(screen.getByRole('option', { name: 'apple' }))
    expect(onClose).not.toHaveBeenCalled()
    const backdrop = screen.getByRole('dialog').parentElement
    if (!backdrop) throw new Error('the dialog has no backdrop')
    fireEvent.mouseDown(backdrop)
    expect(onClose).toHaveBeenCalledTimes(1)
    fireEvent.keyDown(screen.getByRole('combobox'), { key: 'Escape' })
    expect(onClose).toHaveBeenCalledTimes(2)
  })
})
