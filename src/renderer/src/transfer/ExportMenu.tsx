import { useEffect, useId, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { useCommandHandlers } from '../commands/use-commands'
import type { CommandId } from '../commands/registry'
import { menuKey } from '../ui/menu-keys'

const choices: { id: CommandId; label: string; testId: string }[] = [
  { id: 'export-chat-markdown', label: 'Export as Markdown', testId: 'export-markdown' },
  { id: 'export-chat-json', label: 'Export as JSON', testId: 'export-json' },
  { id: 'export-all-json', label: 'Export all chats as JSON', testId: 'export-all' }
]

/**
 * The chat header's Export menu: each choice runs its command (the palette offers the same ones). A menu button as
 * WAI-ARIA describes it: opening it (click, Enter, Space, Down) focuses the first choice and Up the last; in it Down
 * and Up move (wrapping), Home and End go to either end, Esc closes it back to the button, Tab closes it and goes on.
 */
export function ExportMenu(): JSX.Element {
  const handlers = useCommandHandlers()
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const items = useRef<(HTMLButtonElement | null)[]>([])
  // The choice to focus once the menu is drawn.
  const focusOnOpen = useRef<number | undefined>(undefined)
  const menuId = useId()

  useEffect(() => {
    if (!open || focusOnOpen.current === undefined) return
    items.current[focusOnOpen.current]?.focus()
    focusOnOpen.current = undefined
  }, [open])

  const goTo = (index: number): void => {
    if (open) {
      items.current[index]?.focus()
      return
    }
    focusOnOpen.current = index
    setOpen(true)
  }
  // The menu's items go with it: the focus goes back to the Export button.
  const close = (): void => {
    setOpen(false)
    button.current?.focus()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const at = items.current.findIndex((item) => item !== null && item === event.target)
    const action = menuKey(event.key, at, choices.length)
    // Closed, the button takes Down and Up only: they open the menu at its first or last choice.
    if (!action || (!open && event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return
    if (action.kind === 'go') {
      event.preventDefault()
      goTo(action.to)
    } else if (action.how === 'escape') {
      event.preventDefault()
      close()
    } else {
      // Tab: the focus is on the button as the browser moves it on after this handler, so it goes to the stop after
      // the menu (its items are not tab stops), or before the button with Shift.
      close()
    }
  }

  return (
    <div
      className="export-menu"
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setOpen(false)
      }}
    >
      <button
        ref={button}
        type="button"
        className="button ghost small"
        data-testid="export-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : goTo(0))}
      >
        Export
      </button>
      {open ? (
        <div className="export-menu-items" role="menu" id={menuId} aria-label="Export">
          {choices.map((choice, index) => (
            <button
              key={choice.id}
              ref={(item) => {
                items.current[index] = item
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="button ghost small"
              data-testid={choice.testId}
              onClick={() => {
                close()
                handlers.run(choice.id)
              }}
            >
              {choice.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  )
}
