import { useSyncExternalStore, type JSX } from 'react'
import { doneOf, restoreText, type RestoreProgress } from './restore-progress'

/** Why chats are being copied: this window's copy was lost (main's log fills it), or main's was (this window's fills it). */
export type RestoreReason = 'window-lost' | 'main-lost'

const notes: Record<RestoreReason, string> = {
  'window-lost': "This window's copy of your history was missing. Parley keeps every chat on this computer and is copying them back.",
  'main-lost': "Parley's own store of your messages was damaged and set aside. This window keeps a copy of every chat and is giving it back."
}

/**
 * The whole window while chats are copied between it and main: it rebuilds its history from main's log (its
 * IndexedDB was empty, lost or damaged), or gives main back its copy (main's message store was damaged).
 */
export function Restoring(props: { progress: RestoreProgress; reason?: RestoreReason }): JSX.Element {
  const state = useSyncExternalStore(props.progress.subscribe, props.progress.getSnapshot)
  const { done, total } = state ? doneOf(state.progress) : { done: 0, total: 0 }
  return (
    <main className="restoring" data-testid="restoring" role="status" aria-live="polite">
      <h1>Restoring your chats</h1>
      <p data-testid="restoring-progress">{restoreText(state?.progress, state?.secondsLeft ?? null)}</p>
      <progress max={Math.max(total, 1)} value={done} />
      <p className="restoring-note">{notes[props.reason ?? 'window-lost']}</p>
    </main>
  )
}
