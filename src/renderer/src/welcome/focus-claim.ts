/**
 * Whether the welcome may move the focus to "Say hello" once it is ready: only while the person hasn't turned to
 * something else. A key pressed or a pointer put down outside the welcome since it appeared (clicking into the
 * composer, typing there, picking a chat) means they have; the focus the window gave the composer by itself doesn't.
 */
export class FocusClaim {
  private elsewhere = false
  private readonly heard = (event: Event): void => {
    const inside = this.inside()
    if (!inside || !(event.target instanceof Node) || !inside.contains(event.target)) this.elsewhere = true
  }

  constructor(
    private readonly doc: Document,
    private readonly inside: () => Element | null
  ) {}

  /** Listens from now on (the welcome appeared). */
  start(): void {
    this.doc.addEventListener('keydown', this.heard, true)
    this.doc.addEventListener('pointerdown', this.heard, true)
  }

  /** The focus may go to the welcome's button: nothing focused, the focus inside the welcome, or only where the window put it. */
  mayTake(): boolean {
    if (this.elsewhere) return false
    const active = this.doc.activeElement
    const inside = this.inside()
    return !active || active === this.doc.body || (inside !== null && inside.contains(active)) || (active instanceof HTMLTextAreaElement && active.value === '')
  }

  stop(): void {
    this.doc.removeEventListener('keydown', this.heard, true)
    this.doc.removeEventListener('pointerdown', this.heard, true)
  }
}
