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

/** A window's storage in memory that holds `totalChars` characters in all, as the browser's has a quota per origin. */
export function quotaStorage(totalChars: number): DraftStorage & { values: Map<string, string> } {
  const storage = memoryStorage()
  return {
    ...storage,
    setItem: (key, value) => {
      const others = [...storage.values].reduce((sum, [other, kept]) => sum + (other === key ? 0 : kept.length), 0)
      if (others + value.length > totalChars) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      storage.setItem(key, value)
    }
  }
}
