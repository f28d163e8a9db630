import { foldMessage, type Message, type ParleyEvent, type Session } from '../../../../shared'
import type { EventBroker } from '../../events/event-broker'
import type { HistoryPort, HistoryReadOptions, MessagePlace } from '../ports'
import { removalOf, type Removal } from '../../../../shared'
import { SeqWaiters } from '../../history/seq-waiters'

/**
 * A test fake of the history port: history kept in memory by applying the broker's events. The agent's tests and the
 * benchmarks' drains use it; the app uses main's session log (`history/session-log.ts`). A read waits until the
 * store has applied the requested seq (rule B2).
 */
export class MemoryHistory implements HistoryPort {
  private applied = 0
  private readonly bySession = new Map<string, Message[]>()
  private readonly sessionRows = new Map<string, Session>()
  /** Each message's parent on its branch, resolved as the log resolves it (rule H3). */
  private readonly parents = new Map<string, string | null>()
  private readonly leaves = new Map<string, string>()
  private readonly waiters = new SeqWaiters()

  /** Applies every event the broker still retains, then the live ones. Returns the unsubscribe function. */
  attach(broker: EventBroker): () => void {
    return broker.subscribe({ since: this.applied }, (event) => this.apply(event))
  }

  get appliedSeq(): number {
    return this.applied
  }

  /** Applies one event; an event at or below the applied seq is ignored, so applying twice changes nothing. */
  apply(event: ParleyEvent): void {
    if (event.seq <= this.applied) return
    this.applied = event.seq
    switch (event.type) {
      case 'session.created':
        this.sessionRows.set(event.session.id, { ...event.session })
        break
      case 'session.titled':
        this.patchSession(event.sessionId, { title: event.title, ...(event.source ? { titleSource: event.source } : {}) })
        break
      case 'session.updated':
        this.patchSession(event.sessionId, {
          updatedAt: event.updatedAt,
          ...(event.title !== undefined ? { title: event.title } : {})
        })
        break
      case 'session.deleted':
        this.sessionRows.delete(event.sessionId)
        this.bySession.delete(event.sessionId)
        this.leaves.delete(event.sessionId)
        break
      case 'session.branch':
        this.leaves.set(event.sessionId, event.leafId)
        break
      case 'messages.deleted': {
        const gone = new Set(event.messageIds)
        this.bySession.set(event.sessionId, (this.bySession.get(event.sessionId) ?? []).filter((m) => !gone.has(m.id)))
        if (event.leafId === null) this.leaves.delete(event.sessionId)
        else this.leaves.set(event.sessionId, event.leafId)
        break
      }
      case 'message.created':
        if (!this.parents.has(event.message.id)) {
          const named = event.message.parentId
          this.parents.set(event.message.id, named === undefined ? this.leaf(event.message.sessionId) : named)
          this.leaves.set(event.message.sessionId, event.message.id)
        }
        this.upsert(event.message)
        this.patchSession(event.message.sessionId, { updatedAt: event.message.createdAt })
        break
      case 'message.finished':
        this.upsert(event.message)
        break
      case 'message.delta':
        this.appendDelta(event)
        break
      default:
        break
    }
    this.waiters.wake(this.applied)
  }

  async read(sessionId: string, options: HistoryReadOptions): Promise<Message[]> {
    await this.waiters.until(options.afterSeq, this.applied)
    const byId = new Map(this.messages(sessionId).map((m) => [m.id, m]))
    const newestFirst: Message[] = []
    for (let id = options.from ?? this.leaf(sessionId); id !== null; id = this.parents.get(id) ?? null) {
      const message = byId.get(id)
      if (!message) break
      newestFirst.push(message)
      if (options.enough?.(newestFirst)) break
    }
    return newestFirst.reverse()
  }

  leaf(sessionId: string): string | null {
    return this.leaves.get(sessionId) ?? null
  }

  place(messageId: string): MessagePlace | undefined {
    for (const list of this.bySession.values()) {
      const message = list.find((m) => m.id === messageId)
      if (message) {
        const parentId = this.parents.get(messageId) ?? null
        return { sessionId: message.sessionId, role: message.role, parentId, attachments: message.attachments ?? [] }
      }
    }
    return undefined
  }

  onCurrentBranch(sessionId: string, messageId: string): boolean {
    for (let id = this.leaf(sessionId); id !== null; id = this.parents.get(id) ?? null) if (id === messageId) return true
    return false
  }

  newestLeafUnder(sessionId: string, messageId: string): string {
    // The list is in the order messages were created: a later child is a newer one.
    const newestChild = new Map<string, string>()
    for (const message of this.bySession.get(sessionId) ?? []) {
      const parent = this.parents.get(message.id)
      if (parent) newestChild.set(parent, message.id)
    }
    let leaf = messageId
    for (let next = newestChild.get(leaf); next !== undefined; next = newestChild.get(leaf)) leaf = next
    return leaf
  }

  removal(sessionId: string, messageId: string): Removal {
    const entries = (this.bySession.get(sessionId) ?? []).map((m) => ({ id: m.id, parentId: this.parents.get(m.id) ?? null }))
    return removalOf(entries, messageId, this.leaf(sessionId))
  }

  /** A copy of the session's messages, oldest first. */
  messages(sessionId: string): Message[] {
    return (this.bySession.get(sessionId) ?? []).map((m) => ({ ...m, parts: m.parts.map((p) => ({ ...p })) }))
  }

  session(sessionId: string): Session | undefined {
    return this.sessionRows.get(sessionId)
  }

  private upsert(message: Message): void {
    let list = this.bySession.get(message.sessionId)
    if (!list) {
      list = []
      this.bySession.set(message.sessionId, list)
    }
    const index = list.findIndex((m) => m.id === message.id)
    const copy = { ...message, parts: message.parts.map((p) => ({ ...p })) }
    if (index >= 0) list[index] = copy
    else list.push(copy)
  }

  private appendDelta(event: Extract<ParleyEvent, { type: 'message.delta' }>): void {
    const list = this.bySession.get(event.sessionId)
    const index = list?.findIndex((m) => m.id === event.messageId) ?? -1
    if (!list || index < 0) return
    const folded = foldMessage(list[index], event)
    if (folded) list[index] = folded
  }

  private patchSession(sessionId: string, patch: Partial<Session>): void {
    const row = this.sessionRows.get(sessionId)
    if (row) this.sessionRows.set(sessionId, { ...row, ...patch })
  }

}
