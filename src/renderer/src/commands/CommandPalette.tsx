import { useState, type JSX } from 'react'
import { isMac } from './platform'
import { chordLabel, type Command } from './registry'
import { useAvailableCommands, useCommandHandlers } from './use-commands'
import { PaletteDialog } from '../ui/PaletteDialog'

/** Commands whose title holds every word typed, in the registry's order. */
export function matchingCommands(available: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return available.filter((command) => words.every((word) => command.title.toLowerCase().includes(word)))
}

/** Ctrl+Shift+P: every command that can run now, by name; Up and Down choose, Enter runs, Esc closes. */
export function CommandPalette(props: { onClose: () => void }): JSX.Element {
  const handlers = useCommandHandlers()
  const available = useAvailableCommands().filter((command) => command.id !== 'command-palette')
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState(0)
  const shown = matchingCommands(available, query)
  const at = Math.min(chosen, Math.max(0, shown.length - 1))

  const runChosen = (command: Command | undefined): void => {
    if (!command) return
    props.onClose()
    handlers.run(command.id)
  }

  return (
    <PaletteDialog
      label="Command palette"
      testId="command-palette"
      placeholder="Type a command…"
      inputLabel="Command"
      listId="palette-list"
      chosenId={shown[at] ? `palette-${shown[at].id}` : undefined}
      query={query}
      onQuery={(typed) => {
        setQuery(typed)
        setChosen(0)
      }}
      count={shown.length}
      at={at}
      onMove={setChosen}
      onChoose={() => runChosen(shown[at])}
      onClose={props.onClose}
    >
      <ul id="palette-list" className="palette-list" role="listbox">
        {shown.map((command, index) => (
          <li
            key={command.id}
            id={`palette-${command.id}`}
            role="option"
            aria-selected={index === at}
            className={index === at ? 'palette-item chosen' : 'palette-item'}
            onMouseEnter={() => setChosen(index)}
            onClick={() => runChosen(command)}
          >
            <span>{command.title}</span>
            {command.shortcut ? <kbd>{chordLabel(command.shortcut.chord, isMac())}</kbd> : null}
          </li>
        ))}
        {shown.length === 0 ? <li className="palette-none">No command matches “{query}”.</li> : null}
      </ul>
    </PaletteDialog>
  )
}
