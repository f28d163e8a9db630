import type { Notice, Notices } from './notices'

/** How long a brief notice stays up: time to read a short sentence. */
export const briefNoticeMs = 4_000

export interface BriefTimers {
  setTimeout: (run: () => void, ms: number) => unknown
}

const globalTimers: BriefTimers = { setTimeout: (run, ms) => globalThis.setTimeout(run, ms) }

/**
 * Shows a banner for a moment, then takes it away: the outcome of something just done that has nothing else to show
 * for it ("Copied the last answer."). Its banner is a live region (`Banners`), so a screen reader says it too. Shown
 * again while still up, it is said again (its text changes by a no-break space, as `RunAnnouncer` does), and it stays
 * its full time from the newest showing.
 */
export function showBriefly(
  notices: Notices,
  notice: Pick<Notice, 'id' | 'tone' | 'text'>,
  timers: BriefTimers = globalTimers
): void {
  const up = notices.getSnapshot().find((item) => item.id === notice.id)
  const text = up?.text === notice.text ? `${notice.text}\u00a0` : notice.text
  const shown: Notice = { ...notice, text, dismissible: false, brief: true }
  notices.show(shown)
  timers.setTimeout(() => {
    // Only this showing: a newer one (or another notice of the id) keeps its own time.
    if (notices.getSnapshot().includes(shown)) notices.dismiss(shown.id)
  }, briefNoticeMs)
}
