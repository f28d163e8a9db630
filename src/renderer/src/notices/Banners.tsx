import type { JSX } from 'react'
import { useNow } from '../activity/countdown'
import { focusComposer } from '../composer/focus-composer'
import { useActivity, useNotices, useParley } from '../parley-context'
import { IconButton } from '../ui/IconButton'
import { actionFailedNotice } from './action-failed'
import type { Notice } from './notices'
import { offlineNotice, offlineView } from './offline'

/**
 * The offline banner (rule C3): computed from the activity store rather than kept in the notices, since it follows
 * main's events and clears itself. It counts down to main's next probe, so it redraws each second while it does.
 */
function useOfflineNotice(): Notice | undefined {
  const { api, notices } = useParley()
  const activity = useActivity()
  // Whether it counts down does not depend on the time, so any time answers it.
  const ticking = offlineView(activity, 0)?.countingDown ?? false
  const now = useNow(ticking, 500)
  const view = offlineView(activity, now)
  if (!view) return undefined
  return offlineNotice(view, () => {
    api.probeNow().catch((error: unknown) => notices.show(actionFailedNotice('Parley could not try the model server', error)))
  })
}

/** A notice's detail, smaller, after its text. */
function detailOf(notice: Notice): JSX.Element | null {
  return notice.detail ? (
    <>
      {' '}
      <span className="banner-detail" data-testid="banner-detail">
        {notice.detail}
      </span>
    </>
  ) : null
}

/**
 * Problems with the connection, the storage, the provider or an action, above everything else; what was just done
 * (`Notice.brief`), for a moment, over the page's foot.
 */
export function Banners(): JSX.Element {
  const { notices } = useParley()
  const shown = useNotices()
  const offline = useOfflineNotice()
  const all = offline ? [...shown, offline] : shown
  // A button that takes its own banner away (Undo, Dismiss) would leave the focus on the page: it goes to the composer.
  const pressed = (id: string, act: () => void): void => {
    act()
    const gone = shown.some((notice) => notice.id === id) && !notices.getSnapshot().some((notice) => notice.id === id)
    if (gone) focusComposer(document)
  }
  /**
   * A notice's box; `role` is its own live region's, or none inside the brief notices' (theirs is always there). With
   * an aside (a countdown), only the text is the live region: the aside is read where it is, not announced each second.
   */
  const drawn = (notice: Notice, role: 'alert' | 'status' | undefined): JSX.Element => (
    <div key={notice.id} className={`banner banner-${notice.tone}`} data-testid="banner" data-notice={notice.id} role={notice.aside === undefined ? role : undefined}>
      {notice.aside === undefined ? (
        <span className="banner-text">
          {notice.text}
          {detailOf(notice)}
        </span>
      ) : (
        <span className="banner-text">
          <span role={role}>
            {notice.text}
            {detailOf(notice)}
          </span>{' '}
          <span className="banner-aside" data-testid="banner-aside">
            {notice.aside}
          </span>
        </span>
      )}
      {notice.action ? (
        <button type="button" className="button small banner-action" data-testid={notice.action.testId} onClick={() => pressed(notice.id, () => notice.action?.run())}>
          {notice.action.label}
        </button>
      ) : null}
      {notice.dismissible ? (
        <IconButton icon="close" size="small" label="Dismiss" onClick={() => pressed(notice.id, () => notices.dismiss(notice.id))} />
      ) : null}
    </div>
  )
  const banners = all.filter((notice) => notice.brief !== true)
  const brief = all.filter((notice) => notice.brief === true)
  return (
    <>
      {banners.length > 0 ? (
        <div className="banners">{banners.map((notice) => drawn(notice, notice.tone === 'error' ? 'alert' : 'status'))}</div>
      ) : null}
      {/* Always in the page: a live region there before its news is read more surely than one that comes with it. */}
      <div className="brief-notices" data-testid="brief-notices" role="status">
        {brief.map((notice) => drawn(notice, undefined))}
      </div>
    </>
  )
}
