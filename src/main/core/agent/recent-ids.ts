/** A set that remembers only the last `capacity` ids added, so memory stays bounded however many runs end. */
export class RecentIds {
  private readonly ids = new Set<string>()

  constructor(private readonly capacity: number) {}

  add(id: string): void {
    this.ids.delete(id)
    this.ids.add(id)
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next()
      if (!oldest.done) this.ids.delete(oldest.value)
    }
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }

  get size(): number {
    return this.ids.size
  }
}
