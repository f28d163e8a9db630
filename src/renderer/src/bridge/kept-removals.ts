import { z } from 'zod'

/** The part of the Web Storage API kept removals use (localStorage in the page; a Map-backed one in tests). */
export interface RemovalStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/**
 * D2: the runIds of removals and stops (`cancelRun`) the window asked for and main has not answered yet, kept in the
 * page's storage so that they outlive the page. A person who clicked a queued chip's × (or Stop) and then reloaded, or
 * closed the tab, expects the prompt gone; the call went with the page, and the prompt ran (9 of 14 such runs). The
 * page that loads next sends each kept one again (`ws-client.ts`). That is safe: a run already removed or ended
 * answers `false`, and a runId names one run only (D4).
 *
 * A runId is let go once main has answered for it (true or false) or refused it; never on `Disconnected`.
 */
export interface KeptRemovals {
  keep(runId: string): void
  forget(runId: string): void
  /** The ones not answered yet, oldest first. */
  list(): string[]
}

export const keptRemovalsKey = 'parley.keptRemovals'
/** A page that keeps failing to reach main must not grow this forever; the oldest go first. */
const mostKept = 200

const keptSchema = z.array(z.string().min(1)).max(10_000)

export function keptRemovals(storage: RemovalStorage): KeptRemovals {
  function read(): string[] {
    try {
      const raw = storage.getItem(keptRemovalsKey)
      if (raw === null) return []
      const parsed = keptSchema.safeParse(JSON.parse(raw))
      return parsed.success ? parsed.data : []
    } catch {
      return []
    }
  }
  function write(runIds: string[]): void {
    try {
      if (runIds.length === 0) storage.removeItem(keptRemovalsKey)
      else storage.setItem(keptRemovalsKey, JSON.stringify(runIds.slice(-mostKept)))
    } catch {
      // Storage full or refused: the removal still goes out now; it just won't outlive the page.
    }
  }
  return {
    keep(runId) {
      const kept = read()
      if (!kept.includes(runId)) write([...kept, runId])
    },
    forget(runId) {
      const kept = read()
      if (kept.includes(runId)) write(kept.filter((id) => id !== runId))
    },
    list: read
  }
}

/** A storage in memory, for tests and for pages where localStorage is refused. */
export function memoryRemovalStorage(): RemovalStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key)
  }
}
