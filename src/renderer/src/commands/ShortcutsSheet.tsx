import { useEffect, useRef, type JSX } from 'react'
import { isMac } from './platform'
import { chordLabel, commands, type Command } from './registry'
import { useModalFocus } from '../ui/use-modal-focus'

const sections: Command['section'][] = ['Chats', 'Answers', 'Window']

const scopeNotes: Record<string, string> = {
  'outside-text': 'outside a text field',
  'empty-composer': 'in an empty composer'
}

/** `?`: every shortcut, from the registry, by section. */
export function ShortcutsSheet(props: { onClose: () => void }): JSX.Element {
  const close = useRef<HTMLButtonElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  useModalFocus(dialog, props.onClose)
  useEffect(() => close.current?.focus(), [])
  return (
    <div className="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <div ref={dialog} className="modal shortcuts-sheet" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-sheet">
        <div className="modal-head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" ref={close} className="button" onClick={props.onClose}>
            Close
          </button>
        </div>
        {sections.map((section) => (
          <section key={section} className="shortcuts-section">
            <h3>{section}</h3>
            <dl>
              {commands
                .filter((command) => command.section === section && command.shortcut)
                .map((command) => (
                  <div key={command.id} className="shortcut-row" data-testid="shortcut-row">
                    <dt>
                      {command.title}
                      {command.shortcut && scopeNotes[command.shortcut.scope] ? (
                        <span className="shortcut-scope"> ({scopeNotes[command.shortcut.scope]})</span>
                      ) : null}
                    </dt>
                    <dd>{command.shortcut ? <kbd>{chordLabel(command.shortcut.chord, isMac())}</kbd> : null}</dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  )
}
