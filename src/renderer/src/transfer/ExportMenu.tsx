import { useRef, useState, type JSX } from 'react'
import { useCommandHandlers } from '../commands/use-commands'
import type { CommandId } from '../commands/registry'

const choices: { id: CommandId; label: string; testId: string }[] = [
  { id: 'export-chat-markdown', label: 'Export as Markdown', testId: 'export-markdown' },
  { id: 'export-chat-json', label: 'Export as JSON', testId: 'export-json' },
  { id: 'export-all-json', label: 'Export all chats as JSON', testId: 'export-all' }
]

/** The chat header's Export menu: each choice runs its command (the palette offers the same ones). */
export function ExportMenu(): JSX.Element {
  const handlers = useCommandHandlers()
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  // The menu's items go with it: the focus goes back to the Export button.
  const close = (): void => {
    setOpen(false)
    button.current?.focus()
  }
  return (
    <div
      className="export-menu"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault()
          close()
        }
      }}
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
        onClick={() => setOpen(!open)}
      >
        Export
      </button>
      {open ? (
        <div className="export-menu-items" role="menu">
          {choices.map((choice) => (
            <button
              key={choice.id}
              type="button"
              role="menuitem"
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
