import { useSyncExternalStore, type JSX } from 'react'
import { restoreText, type RestoreProgress } from './restore-progress'

/** The whole window while it rebuilds its history from main's log (its IndexedDB was empty, lost or damaged). */
export function Restoring(props: { progress: RestoreProgress }): JSX.Element {
  const progress = useSyncExternalStore(props.progress.subscribe, props.progress.getSnapshot)
  const total = progress ? progress.totalMessages || progress.totalSessions : 0
  const done = progress ? (progress.totalMessages ? progress.messages : progress.sessions) : 0
  return (
    <main className="restoring" data-testid="restoring" role="status" aria-live="polite">
      <h1>Restoring your chats</h1>
      <p data-testid="restoring-progress">{restoreText(progress)}</p>
      <progress max={Math.max(total, 1)} value={done} />
      <p className="restoring-note">This window's copy of your history was missing. Parley keeps every chat on this computer and is copying them back.</p>
    </main>
  )
}
