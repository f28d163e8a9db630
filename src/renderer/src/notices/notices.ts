import { ExternalStore } from '../external-store'

/** A banner: a problem the person should know about (the connection, storage, a failed action), or news with an action (Undo). */
export interface Notice {
  /** One banner per id: showing the same id again replaces it rather than stacking. */
  id: string
  tone: 'error' | 'warning' | 'info'
  text: string
  /**
   * Words after the text that change by themselves (a countdown): shown, but outside the banner's live region, so a
   * screen reader doesn't read the whole banner out again each second.
   */
  aside?: string | undefined
  /** Smaller words after the text: where it came from (a server's own words). */
  detail?: string | undefined
  /** Whether the person can close it; problems that clear themselves (the connection) can't be. */
  dismissible: boolean
  /** A button that acts on the problem ("Try now"). */
  action?: NoticeAction | undefined
  /**
   * Said for a moment and gone by itself (`showBriefly`: "Copied the last answer."): drawn over the page's foot, so it
   * moves nothing as it comes and goes; a banner pushes the window's content down.
   */
  brief?: true | undefined
}

export interface NoticeAction {
  label: string
  testId: string
  run: () => void
}

export class Notices extends ExternalStore<readonly Notice[]> {
  constructor() {
    super([])
  }

  show(notice: Notice): void {
    const current = this.getSnapshot()
    const at = current.findIndex((item) => item.id === notice.id)
    if (at < 0) {
      this.replace([...current, notice])
      return
    }
    const existing = current[at]
    if (existing && existing.text === notice.text && existing.aside === notice.aside && existing.detail === notice.detail && existing.tone === notice.tone) return
    this.replace(current.map((item, index) => (index === at ? notice : item)))
  }

  dismiss(id: string): void {
    const current = this.getSnapshot()
    if (current.some((item) => item.id === id)) this.replace(current.filter((item) => item.id !== id))
  }
}
