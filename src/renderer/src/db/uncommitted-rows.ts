import type { ParleyEvent } from '../../../shared'
import type { WindowPage } from './message-pages'
import type { MessageRow } from './schema'
import { FrameListeners, type FrameScheduler } from './frame-listeners'

/** How many of the newest messages are kept here: far more than are ever waiting for a commit at once. */
const kept = 64

/**
 * The messages the window has heard of, as their rows will be once committed (architecture.md, "A prompt's path"
 * step 5): the chat's list shows them at its live end before Dexie has them and its live query has read them again,
 * which under load took 50–150 ms (a prompt sent, an answer's first words, a fast answer whole). An external store for
 * `useSyncExternalStore`; listeners hear about changes at most once per animation frame.
 *
 * Rows are kept after their commit (the list's next read has them, and dropping them at the commit would blank them
 * for that read's time): `withUncommitted` only adds those the page read can't have had.
 */
export class UncommittedRows {
  /** By id, oldest first. */
  private readonly rows = new Map<string, MessageRow>()
  private readonly listeners: FrameListeners
  private changes = 0

  constructor(scheduleFrame?: FrameScheduler) {
    this.listeners = new FrameListeners(scheduleFrame)
  }

  /** Takes in one event, in seq order (the applier's `onEvent`). */
  take(event: ParleyEvent): void {
    switch (event.type) {
      case 'message.created': {
        this.rows.delete(event.message.id)
        this.rows.set(event.message.id, { ...event.message, seq: event.seq, createdSeq: event.seq })
        for (const id of this.rows.keys()) {
          if (this.rows.size <= kept) break
          this.rows.delete(id)
        }
        return this.changed()
      }
      case 'message.finished': {
        const row = this.rows.get(event.message.id)
        if (!row || row.seq >= event.seq) return
        this.rows.set(event.message.id, { ...event.message, seq: event.seq, createdSeq: row.createdSeq })
        return this.changed()
      }
      case 'messages.deleted': {
        const gone = new Set(event.messageIds)
        return this.drop((row) => gone.has(row.id))
      }
      case 'session.deleted':
        return this.drop((row) => row.sessionId === event.sessionId)
      default:
        return
    }
  }

  /** The rows of one chat, oldest first. */
  of(sessionId: string): MessageRow[] {
    return [...this.rows.values()].filter((row) => row.sessionId === sessionId)
  }

  /** Changes with every change (the snapshot `useSyncExternalStore` compares). */
  version = (): number => this.changes

  subscribe = (listener: () => void): (() => void) => this.listeners.subscribe(listener)

  /** Lets go of the rows `matches` picks; listeners hear of it only if there were any. */
  private drop(matches: (row: MessageRow) => boolean): void {
    const before = this.rows.size
    for (const [id, row] of this.rows) if (matches(row)) this.rows.delete(id)
    if (this.rows.size < before) this.changed()
  }

  private changed(): void {
    this.changes += 1
    this.listeners.changed()
  }
}

/**
 * A page read at the chat's live end, with the messages that continue its branch and that it can't have had: created
 * after the event that set the leaf it read (`leafSeq`), each the child of the one before, from the page's leaf. A row
 * the page has wins. Any other page (a window away from the leaf, a branch shown that isn't the current one) as it is.
 */
export function withUncommitted(page: WindowPage, rows: readonly MessageRow[]): WindowPage {
  if (!page.reachesLeaf || page.branchLeafId !== page.sessionLeafId) return page
  const have = new Set(page.messages.map((row) => row.id))
  const later = rows.filter((row) => row.createdSeq > page.leafSeq && !have.has(row.id))
  const added: MessageRow[] = []
  let leaf = page.sessionLeafId
  for (const row of later) {
    // The first message of a chat has no parent; any other continues from the leaf before it.
    if ((row.parentId ?? undefined) !== leaf) continue
    added.push(row)
    leaf = row.id
  }
  const last = added.at(-1)
  if (!last) return page
  return {
    ...page,
    messages: [...page.messages, ...added],
    endAt: Math.max(page.endAt, last.createdAt),
    branchLeafId: last.id,
    sessionLeafId: last.id
  }
}
