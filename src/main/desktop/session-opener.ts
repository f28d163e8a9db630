/**
 * Asks the window to show a chat (session.open), for a click on a notification or the tray's "New chat". The
 * renderer acts only on requests published after its page started listening, which it marks by its first status()
 * (renderer/src/sessions/open-requests.ts): a request replayed from before was for an earlier page. So when showing
 * the window had to make a new one, whose page is still loading, the request is held until that page has had its
 * first status() answered, and published then.
 */
export class SessionOpener {
  private pending: string | undefined

  constructor(private readonly publish: (sessionId: string) => void) {}

  /** `window`: what showing the window did (AppWindow.show). */
  open(sessionId: string, window: 'made' | 'shown'): void {
    if (window === 'made') this.pending = sessionId
    else {
      this.pending = undefined
      this.publish(sessionId)
    }
  }

  /** Main answered a status() call from the window's page: a new page is listening from now on. */
  statusAnswered(): void {
    const sessionId = this.pending
    this.pending = undefined
    if (sessionId !== undefined) this.publish(sessionId)
  }
}
