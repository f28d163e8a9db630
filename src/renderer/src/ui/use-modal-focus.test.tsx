// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useRef, useState, type JSX } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useModalFocus } from './use-modal-focus'

afterEach(cleanup)

function Dialog(props: { onEscape: () => void }): JSX.Element {
  const dialog = useRef<HTMLDivElement>(null)
  useModalFocus(dialog, props.onEscape)
  return (
    <div ref={dialog} role="dialog" aria-modal="true" aria-label="A dialog">
      <button type="button">First</button>
      <button type="button" disabled>
        Off
      </button>
      <input aria-label="Middle" />
      <span tabIndex={-1}>Not a stop</span>
      <button type="button" hidden>
        Hidden
      </button>
      <button type="button">Last</button>
    </div>
  )
}

/** A window with a composer, a button that opens the dialog, and a button behind it that Tab must not reach. */
function Window(props: { onEscape?: () => void }): JSX.Element {
  const [open, setOpen] = useState(false)
  return (
    <>
      <textarea data-testid="composer-input" aria-label="Prompt" />
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <button type="button">Delete chat</button>
      {open ? (
        <Dialog
          onEscape={() => {
            props.onEscape?.()
            setOpen(false)
          }}
        />
      ) : null}
    </>
  )
}

const tab = (shift = false): void => void fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: shift })
const focused = (): string | null => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null

function openDialog(): HTMLElement {
  const opener = screen.getByRole('button', { name: 'Open' })
  opener.focus()
  fireEvent.click(opener)
  return opener
}

describe('useModalFocus: a dialog keeps the keyboard while it is open', () => {
  it('Tab goes round the dialog’s own controls, past disabled and hidden ones, and never to the page behind', () => {
    render(<Window />)
    openDialog()
    screen.getByRole('button', { name: 'First' }).focus()
    tab()
    expect(focused()).toBe('Middle')
    tab()
    expect(focused()).toBe('Last')
    tab()
    expect(focused()).toBe('First')
  })

  it('Shift+Tab goes round backwards, from the first control to the last', () => {
    render(<Window />)
    openDialog()
    screen.getByRole('button', { name: 'First' }).focus()
    tab(true)
    expect(focused()).toBe('Last')
    tab(true)
    expect(focused()).toBe('Middle')
  })

  it('Tab from nowhere (the focus on the page) goes into the dialog, and so does Shift+Tab', () => {
    render(<Window />)
    openDialog()
    act(() => (document.activeElement as HTMLElement).blur())
    tab()
    expect(focused()).toBe('First')
    act(() => (document.activeElement as HTMLElement).blur())
    tab(true)
    expect(focused()).toBe('Last')
  })

  it('Esc closes it wherever the focus is, and the focus goes back to where it was when the dialog opened', () => {
    const onEscape = vi.fn()
    render(<Window onEscape={onEscape} />)
    const opener = openDialog()
    screen.getByRole('textbox', { name: 'Middle' }).focus()
    act(() => (document.activeElement as HTMLElement).blur())
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(onEscape).toHaveBeenCalledTimes(1)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(opener)
  })

  it('an Esc a control inside handled already is left to it', () => {
    const onEscape = vi.fn()
    render(<Window onEscape={onEscape} />)
    openDialog()
    const middle = screen.getByRole('textbox', { name: 'Middle' })
    middle.addEventListener('keydown', (event) => event.preventDefault())
    fireEvent.keyDown(middle, { key: 'Escape' })
    expect(onEscape).not.toHaveBeenCalled()
  })

  it('the focus goes to the composer when what opened the dialog is gone', () => {
    function Opener(): JSX.Element {
      const [open, setOpen] = useState(false)
      return (
        <>
          <textarea data-testid="composer-input" aria-label="Prompt" />
          {open ? null : (
            <button type="button" onClick={() => setOpen(true)}>
              Open
            </button>
          )}
          {open ? <Dialog onEscape={() => setOpen(false)} /> : null}
        </>
      )
    }
    render(<Opener />)
    openDialog()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Prompt' }))
  })

  it('what took the focus as the dialog closed keeps it (a command run from the palette that opens its own field)', () => {
    function Closer(): JSX.Element {
      const [open, setOpen] = useState(false)
      const field = useRef<HTMLInputElement>(null)
      return (
        <>
          <input ref={field} aria-label="Chat title" />
          <button type="button" onClick={() => setOpen(true)}>
            Open
          </button>
          {open ? (
            <Dialog
              onEscape={() => {
                field.current?.focus()
                setOpen(false)
              }}
            />
          ) : null}
        </>
      )
    }
    render(<Closer />)
    openDialog()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(focused()).toBe('Chat title')
  })
})
