import type { EventType } from '../../shared'
import type { EventBroker } from '../core/events/event-broker'

/** The agent's queries that the tray reads (SessionAgent has them; rule A5). */
export interface RunQueries {
  /** Sessions with an active or queued run. */
  busySessions(): string[]
  isSessionBusy(sessionId: string): boolean
  queuedPrompts(sessionId: string): number
}

export interface RunCounts {
  /** Sessions with an active run: one run at a time per session. */
  running: number
  /** Prompts waiting in every session's queue, including those waiting for the provider (rule C3). */
  queued: number
}

export function countRuns(agent: RunQueries): RunCounts {
  let running = 0
  let queued = 0
  for (const sessionId of agent.busySessions()) {
    if (agent.isSessionBusy(sessionId)) running += 1
    queued += agent.queuedPrompts(sessionId)
  }
  return { running, queued }
}

/** "Parley: idle", "Parley: 1 running", "Parley: 2 running, 3 queued", and whether notifications are paused. */
export function trayTooltip(counts: RunCounts, notificationsPaused = false): string {
  const parts: string[] = []
  if (counts.running > 0) parts.push(`${counts.running} running`)
  if (counts.queued > 0) parts.push(`${counts.queued} queued`)
  const state = `Parley: ${parts.length > 0 ? parts.join(', ') : 'idle'}`
  return notificationsPaused ? `${state} (notifications paused)` : state
}

export type TrayAction = 'show' | 'new-chat' | 'pause-notifications' | 'quit'

export type TrayMenuEntry =
  | { kind: 'item'; action: Exclude<TrayAction, 'pause-notifications'>; label: string }
  | { kind: 'checkbox'; action: 'pause-notifications'; label: string; checked: boolean }
  | { kind: 'separator' }

/** The tray's menu, as data: tray.ts turns it into Electron's Menu and routes each action. */
export function trayMenu(state: { notificationsPaused: boolean }): TrayMenuEntry[] {
  return [
    { kind: 'item', action: 'show', label: 'Show Parley' },
    { kind: 'item', action: 'new-chat', label: 'New chat' },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      action: 'pause-notifications',
      label: 'Pause notifications',
      checked: state.notificationsPaused
    },
    { kind: 'separator' },
    { kind: 'item', action: 'quit', label: 'Quit Parley' }
  ]
}

/** The events after which the counts may have changed. */
const countingEvents: ReadonlySet<EventType> = new Set<EventType>(['session.busy', 'queue.changed', 'run.complete'])

/**
 * Calls `onChange` with the counts now, then whenever they change: after each session.busy, queue.changed or
 * run.complete, the counts are read again from the agent (which is the truth; the events only say when to look).
 * Only live events count, not the broker's replay of old ones. Returns the unsubscribe function.
 */
export function watchRunCounts(
  broker: Pick<EventBroker, 'subscribe' | 'lastSeq'>,
  agent: RunQueries,
  onChange: (counts: RunCounts) => void
): () => void {
  let last = countRuns(agent)
  onChange(last)
  return broker.subscribe({ since: broker.lastSeq }, (event) => {
    if (!countingEvents.has(event.type)) return
    const counts = countRuns(agent)
    if (counts.running === last.running && counts.queued === last.queued) return
    last = counts
    onChange(counts)
  })
}
