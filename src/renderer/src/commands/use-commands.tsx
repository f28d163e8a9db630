import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type JSX, type ReactNode } from 'react'
import { CommandHandlers } from './handlers'
import { commandForKey, commands, type Command, type CommandId, type KeyPlace } from './registry'

const CommandsContext = createContext<CommandHandlers | null>(null)

export function CommandsProvider(props: { handlers: CommandHandlers; children: ReactNode }): JSX.Element {
  return <CommandsContext.Provider value={props.handlers}>{props.children}</CommandsContext.Provider>
}

export function useCommandHandlers(): CommandHandlers {
  const handlers = useContext(CommandsContext)
  if (!handlers) throw new Error('useCommandHandlers() is used outside <CommandsProvider>')
  return handlers
}

/** Makes this component the one that does `id` while it is shown (and `enabled`); always calls the newest `handler`. */
export function useCommand(id: CommandId, handler: () => void, enabled = true): void {
  const handlers = useCommandHandlers()
  const latest = useRef(handler)
  latest.current = handler
  useEffect(() => (enabled ? handlers.register(id, () => latest.current()) : undefined), [handlers, id, enabled])
}

/** The commands someone can run now (the palette lists these), redrawn as handlers come and go. */
export function useAvailableCommands(): readonly Command[] {
  const handlers = useCommandHandlers()
  useSyncExternalStore(handlers.subscribe, handlers.getSnapshot)
  return commands.filter((command) => handlers.has(command.id))
}

/** Where focus is, for shortcuts that only apply outside text fields or in the empty composer. */
export function keyPlace(target: EventTarget | null): KeyPlace {
  if (!(target instanceof HTMLElement)) return { inText: false, inEmptyComposer: false }
  const inText = target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
  const inEmptyComposer = target instanceof HTMLTextAreaElement && target.dataset['testid'] === 'composer-input' && target.value === ''
  return { inText, inEmptyComposer }
}

/** The window's shortcuts: a key press names a command in the registry, and whoever handles it now runs it. */
export function useCommandKeys(): void {
  const handlers = useCommandHandlers()
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      // An open dialog (settings, the palette, the sheet) owns the keyboard.
      if (event.defaultPrevented || document.querySelector('.modal')) return
      const press = {
        key: event.key,
        shiftKey: event.shiftKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        isComposing: event.isComposing
      }
      const id = commandForKey(press, keyPlace(event.target))
      if (id && handlers.run(id)) event.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [handlers])
}
