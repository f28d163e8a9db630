import type { DraftStorage } from '../composer/drafts'

/** A window's storage in memory, its entries in `values`; `full` makes every write over that many characters throw. */
export function memoryStorage(full = Number.POSITIVE_INFINITY): DraftStorage & { values: Map<string, string> } {
  const values = new Map<string, string>()
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      if (value.length > full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      values.set(key, value)
    },
    removeItem: (key) => void values.delete(key)
  }
}
