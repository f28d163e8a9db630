/**
 * A map that keeps entries up to a total weight (`capacity`; each entry weighs 1 unless `weigh` says otherwise),
 * forgetting the least recently used first: what main keeps of history in memory is bounded however long the chats
 * grow (issue 9: no full copy of history in memory). An entry heavier than the whole capacity is kept alone.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>()
  private total = 0

  constructor(
    readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    // A Map keeps insertion order: moving the entry to the end marks it the most recently used.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V): void {
    this.delete(key)
    const weight = Math.max(0, this.weigh(value))
    this.entries.set(key, { value, weight })
    this.total += weight
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.capacity || this.entries.size === 1) break
      this.entries.delete(oldest)
      this.total -= entry.weight
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    this.total -= entry.weight
  }

  /** Forgets every entry `drop` says to (a deleted chat's messages). */
  deleteWhere(drop: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.entries) if (drop(entry.value, key)) this.delete(key)
  }

  get size(): number {
    return this.entries.size
  }

  /** The weight of what it holds. */
  get weight(): number {
    return this.total
  }
}
