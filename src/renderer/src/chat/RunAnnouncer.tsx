import { useSyncExternalStore, type JSX } from 'react'
import { useParley } from '../parley-context'

/**
 * A live region, unseen, that tells a screen reader when an answer of this chat has ended (done, stopped, failed,
 * empty): the streaming text itself is not read out token by token.
 */
export function RunAnnouncer(props: { sessionId: string }): JSX.Element {
  const { announcements } = useParley()
  const latest = useSyncExternalStore(announcements.subscribe, announcements.getSnapshot)
  // A no-break space on every other one: a sentence the same as the last is still a change, so it is said again.
  const text = latest?.sessionId === props.sessionId ? `${latest.text}${latest.serial % 2 === 0 ? '\u00a0' : ''}` : ''
  return (
    <div className="visually-hidden" role="status" data-testid="run-announcement">
      {text}
    </div>
  )
}
