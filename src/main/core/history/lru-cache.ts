/**
 * A map that keeps entries up to a total weight (`capacity`; each entry weighs 1 unless `weigh` says otherwise),
 * forgetting the least recently used first: what main keeps of history in memory is bounded however long the chats
 * grow (issue 9: no full copy of history in memory). An entry heavier than the whole capacity is kept alone.
 */
/** An entry, linked to its neighbours in the order of use: `older` towards the least recently used. */
interface Entry<K, V> {
  readonly key: K
  readonly value: V
  readonly weight: number
  older: Entry<K, V> | undefined
  newer: Entry<K, V> | undefined
}

/**
 * Its order of use is a list linked both ways, so that marking an entry used and forgetting the oldest are a step each.
 * (It was a `Map`'s insertion order, the oldest found by iterating from its start: V8 leaves a deleted entry's place in
 * a `Map` until the table is rebuilt, and an iteration skips those places one by one, so with the oldest deleted again
 * and again each `set` walked past every entry deleted before it: 10 µs a set at 100,000 entries, 1.2 s of a bench's
 * 11 s of turns.)
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<K, V>>()
  private oldest: Entry<K, V> | undefined
  private newest: Entry<K, V> | undefined
  private total = 0

  constructor(
    readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 1
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    this.unlink(entry)
    this.link(entry)
    return entry.value
  }

  set(key: K, value: V): void {
    this.delete(key)
    const entry: Entry<K, V> = { key, value, weight: Math.max(0, this.weigh(value)), older: undefined, newer: undefined }
    this.entries.set(key, entry)
    this.link(entry)
    this.total += entry.weight
    while (this.total > this.capacity && this.entries.size > 1 && this.oldest !== undefined) this.delete(this.oldest.key)
  }

  delete(key: K): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    this.unlink(entry)
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

  /** The keys from the least recently used to the most. */
  keysByUse(): K[] {
    const keys: K[] = []
    for (let entry = this.oldest; entry !== undefined; entry = entry.newer) keys.push(entry.key)
    return keys
  }

  /** Puts an entry (not in the list) at its newest end. */
  private link(entry: Entry<K, V>): void {
    entry.older = this.newest
    entry.newer = undefined
    if (this.newest) this.newest.newer = entry
    else this.oldest = entry
    this.newest = entry
  }

  /** Takes an entry out of the list, joining its neighbours. */
  private unlink(entry: Entry<K, V>): void {
    if (entry.older) entry.older.newer = entry.newer
    else this.oldest = entry.newer
    if (entry.newer) entry.newer.older = entry.older
    else this.newest = entry.older
    entry.older = undefined
    entry.newer = undefined
  }
}
