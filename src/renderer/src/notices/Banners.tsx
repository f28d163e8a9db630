import type { JSX } from 'react'
import type { ProviderState } from '../activity/session-activity'
import { useActivity, useNotices, useParley } from '../parley-context'
import type { Notice } from './notices'

/** A provider main cannot reach: prompts wait for it rather than fail (rule C3), and the person should know why. */
function providerNotice(provider: ProviderState): Notice {
  const retry = provider.retryInSeconds !== undefined ? ` Retrying in ${Math.ceil(provider.retryInSeconds)} s.` : ''
  const detail = provider.detail ? ` (${provider.detail})` : ''
  return {
    id: `provider:${provider.providerId}`,
    tone: 'warning',
    text: `Parley can't reach the model provider “${provider.providerId}”${detail}. Prompts wait in the queue until it answers.${retry}`,
    dismissible: false
  }
}

/** Problems with the connection, the storage, the provider or an action, above everything else. */
export function Banners(): JSX.Element | null {
  const { notices } = useParley()
  const shown = useNotices()
  const activity = useActivity()
  const providers = [...activity.providers.values()].filter((provider) => provider.reachable === false).map(providerNotice)
  const all = [...shown, ...providers]
  if (all.length === 0) return null
  return (
    <div className="banners">
      {all.map((notice) => (
        <div
          key={notice.id}
          className={`banner banner-${notice.tone}`}
          data-testid="banner"
          data-notice={notice.id}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          <span className="banner-text">{notice.text}</span>
          {notice.dismissible ? (
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => notices.dismiss(notice.id)}>
              <svg viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
                <path d="M2 2l8 8M10 2l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              </svg>
            </button>
          ) : null}
        </div>
      ))}
    </div>
  )
}
