import { useEffect, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { isMac } from './platform'
import { chordLabel, type Command } from './registry'
import { useAvailableCommands, useCommandHandlers } from './use-commands'
import { paletteKey } from '../ui/palette-keys'
import { useModalFocus } from '../ui/use-modal-focus'

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
  const input = useRef<HTMLInputElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  useModalFocus(dialog, props.onClose)
  useEffect(() => input.current?.focus(), [])
  const shown = matchingCommands(available, query)
  const at = Math.min(chosen, Math.max(0, shown.length - 1))

  const runChosen = (command: Command | undefined): void => {
    if (!command) return
    props.onClose()
    handlers.run(command.id)
  }
  const onKeyDown = (event: KeyboardEvent): void => {
    const action = paletteKey(event.key, at, shown.length)
    if (!action) return
    event.preventDefault()
    if (action.kind === 'close') props.onClose()
    else if (action.kind === 'choose') runChosen(shown[at])
    else setChosen(action.to)
  }

  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <div ref={dialog} className="modal palette" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="command-palette">
        <input
          ref={input}
          className="palette-input"
          placeholder="Type a command…"
          aria-label="Command"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={shown[at] ? `palette-${shown[at].id}` : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value)
            setChosen(0)
          }}
          onKeyDown={onKeyDown}
        />
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
      </div>
    </div>
  )
}
