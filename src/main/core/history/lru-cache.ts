/**
 * A map that keeps at most `capacity` entries, forgetting the least recently used first: what main keeps of history in
 * memory is bounded however long the chats grow (issue 9: no full copy of history in memory).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value === undefined) return undefined
    // A Map keeps insertion order: moving the entry to the end marks it the most recently used.
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size <= this.capacity) return
    const oldest = this.entries.keys().next()
    if (!oldest.done) this.entries.delete(oldest.value)
  }

  delete(key: K): void {
    this.entries.delete(key)
  }

  /** Forgets every entry `drop` says to (a deleted chat's messages). */
  deleteWhere(drop: (value: V, key: K) => boolean): void {
    for (const [key, value] of this.entries) if (drop(value, key)) this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}
