import type { CommandId } from './registry'

type Listener = () => void

/**
 * Who does each command now: the part of the window that owns it registers a handler while it is shown (the chat
 * view registers "copy the last answer", the app "new chat"), and the shortcut, the palette and the sheet run it
 * by name. The newest registration wins, and removing it brings back the one before.
 */
export class CommandHandlers {
  private readonly handlers = new Map<CommandId, (() => void)[]>()
  private readonly listeners = new Set<Listener>()
  private version = 0

  register(id: CommandId, handler: () => void): () => void {
    const stack = this.handlers.get(id) ?? []
    stack.push(handler)
    this.handlers.set(id, stack)
    this.changed()
    return () => {
      const at = stack.lastIndexOf(handler)
      if (at >= 0) stack.splice(at, 1)
      this.changed()
    }
  }

  /** Runs the command; false when nothing handles it now (so the key is left to the page). */
  run(id: CommandId): boolean {
    const handler = this.handlers.get(id)?.at(-1)
    if (!handler) return false
    handler()
    return true
  }

  has(id: CommandId): boolean {
    return (this.handlers.get(id)?.length ?? 0) > 0
  }

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Changes whenever a handler comes or goes (for useSyncExternalStore). */
  readonly getSnapshot = (): number => this.version

  private changed(): void {
    this.version += 1
    for (const listener of this.listeners) listener()
  }
}
