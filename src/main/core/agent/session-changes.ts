import { ParleyError, patchedOptions, type Session, type SessionOptionsPatch } from '../../../shared'
import type { EventBroker } from '../events/event-broker'
import type { HistoryPort } from './ports'
import type { SessionDirectory } from './session-directory'
import type { SessionQueues } from './session-queues'
import type { SessionTitles } from './session-titles'

export interface SessionChangesOptions {
  broker: Pick<EventBroker, 'publish'>
  sessions: SessionDirectory
  history: Pick<HistoryPort, 'place' | 'leaf' | 'onCurrentBranch' | 'newestLeafUnder' | 'removal'>
  queues: Pick<SessionQueues, 'hasRuns' | 'cancel'>
  titles: Pick<SessionTitles, 'forget'>
  now: () => number
  newId: () => string
}

/** The calls that change a chat itself: create it, rename it, delete it, or switch its branch (H3). */
export class SessionChanges {
  constructor(private readonly options: SessionChangesOptions) {}

  create(options: { id?: string; title?: string } = {}): Session {
    const at = this.options.now()
    const title = options.title?.trim()
    const session: Session = title
      ? { id: options.id ?? this.options.newId(), title, titleSource: 'user', createdAt: at, updatedAt: at }
      : { id: options.id ?? this.options.newId(), title: null, createdAt: at, updatedAt: at }
    this.options.sessions.add(session)
    this.options.broker.publish({ type: 'session.created', session })
    return session
  }

  /**
   * H3: the branch through `messageId` becomes the session's current one, continued to its newest message; later
   * turns follow it. Refused while the session has a prompt running or waiting, whose answer would land elsewhere.
   */
  switchBranch(sessionId: string, messageId: string): string {
    this.requireMessage(sessionId, messageId)
    // Already on it (a search result opened in the branch shown): nothing changes, even while the chat answers, and the
    // branch below it stays as chosen (its newest leaf may be another one).
    const leaf = this.options.history.leaf(sessionId)
    if (leaf !== null && this.options.history.onCurrentBranch(sessionId, messageId)) return leaf
    this.requireIdle(sessionId, messageId, 'switch branches')
    const leafId = this.options.history.newestLeafUnder(sessionId, messageId)
    this.options.broker.publish({ type: 'session.branch', sessionId, leafId })
    return leafId
  }

  /**
   * Deletes a message and the branch below it; if the current branch went with it, the chat moves to what is left
   * there (`removalOf`). Refused while the session has a prompt running or waiting, whose answer may be below it.
   */
  deleteMessages(sessionId: string, messageId: string): string | null {
    this.requireIdle(sessionId, messageId, 'delete messages')
    const { messageIds, leafId } = this.options.history.removal(sessionId, messageId)
    this.options.broker.publish({ type: 'messages.deleted', sessionId, messageIds, leafId })
    return leafId
  }

  /** A change to a chat's tree needs the message to be in the chat, and the chat to have nothing running or waiting. */
  private requireIdle(sessionId: string, messageId: string, what: string): void {
    this.requireMessage(sessionId, messageId)
    if (this.options.queues.hasRuns(sessionId)) {
      throw new ParleyError('SessionBusy', `This chat has a prompt running or waiting: ${what} once it is answered, or stop it.`)
    }
  }

  private requireMessage(sessionId: string, messageId: string): void {
    this.options.sessions.require(sessionId)
    const place = this.options.history.place(messageId)
    if (!place || place.sessionId !== sessionId) {
      throw new ParleyError('MessageMissing', `There is no message ${messageId} in this chat.`)
    }
  }

  rename(sessionId: string, title: string): void {
    this.options.sessions.require(sessionId)
    const clean = title.trim()
    if (!clean) throw new ParleyError('BadRequest', 'A session title cannot be empty.')
    this.options.sessions.setTitle(sessionId, clean, 'user')
    // A new name is not activity: the sidebar's order (last activity) stays as it was.
    this.options.broker.publish({ type: 'session.titled', sessionId, title: clean, source: 'user' })
  }

  /**
   * Changes the chat's own options and publishes them (`session.updated`, so the renderer's copy follows and
   * sessions.json keeps them). Allowed while it answers: the running turn keeps what it started with, the next one
   * (a queued prompt too) reads these as it starts. Not activity: the sidebar's order stays.
   */
  update(sessionId: string, patch: SessionOptionsPatch): Session {
    const session = this.options.sessions.get(sessionId)
    if (!session) throw new ParleyError('SessionMissing', `There is no chat session with the id ${sessionId}.`)
    const options = patchedOptions(session.options, patch)
    this.options.sessions.setOptions(sessionId, options)
    this.options.broker.publish({ type: 'session.updated', sessionId, updatedAt: session.updatedAt, options })
    return { ...session, options }
  }

  /** Cancels the session's runs (each gets its RunComplete, D1), then forgets the session. */
  remove(sessionId: string): void {
    this.options.sessions.require(sessionId)
    this.options.queues.cancel(sessionId)
    this.options.titles.forget(sessionId)
    this.options.sessions.remove(sessionId)
    this.options.broker.publish({ type: 'session.deleted', sessionId })
  }
}
