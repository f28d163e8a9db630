import type { EventBroker } from '../events/event-broker'
import type { ModelPort } from './ports'
import type { SessionDirectory } from './session-directory'
import { makeTitle, seedOfFallback, type MadeTitle } from './title'

export interface SessionTitlesOptions {
  broker: EventBroker
  sessions: SessionDirectory
  models: ModelPort
  /** Runs a title request in the background, where `idle()` and `shutdown()` can see and stop it. */
  background: (work: (signal: AbortSignal) => Promise<void>) => void
}

/**
 * Chat titles (rules E1–E3). A title is owed when a session's first user message is in (E1), or when an answer
 * succeeds in a session whose title is E1's fallback (E3). It is asked for only when the session has no turn running
 * or queued (E2): the session's answers go first, so on a server that serves one request at a time a title never
 * delays one of them.
 */
export class SessionTitles {
  /** The seed of each title owed, by session, until the session is idle. */
  private readonly owed = new Map<string, string>()
  /** Sessions whose title is being made. */
  private readonly making = new Set<string>()
  /** The whole prompt behind a fallback title made here (the title keeps only its first 50 characters). */
  private readonly fallbackSeeds = new Map<string, string>()

  constructor(private readonly options: SessionTitlesOptions) {}

  /** E1: the session's first user message is in. A session with a title (the user's) needs none. */
  firstPrompt(sessionId: string, seed: string): void {
    if (this.options.sessions.get(sessionId)?.title) return
    this.owed.set(sessionId, seed)
  }

  /** E3: an answer succeeded; a fallback title is owed a model title. */
  answerSucceeded(sessionId: string): void {
    const session = this.options.sessions.get(sessionId)
    if (!session?.title || session.titleSource !== 'fallback') return
    if (this.owed.has(sessionId) || this.making.has(sessionId)) return
    this.owed.set(sessionId, this.fallbackSeeds.get(sessionId) ?? seedOfFallback(session.title))
  }

  /**
   * E1 across a restart: a chat with a prompt and no title (main stopped before its title was asked for, or while
   * it was) is owed one, made from its first prompt, and asked for once the chat is idle (E2). A title it got
   * meanwhile (the user's rename, or one made since) wins, as does a request already made.
   */
  owedAfterRestart(sessionId: string, seed: string): void {
    if (this.options.sessions.get(sessionId)?.title !== null || this.making.has(sessionId)) return
    this.owed.set(sessionId, seed)
  }

  /** E2: the session has no turn running or queued: the title it is owed is asked for now. */
  sessionIdle(sessionId: string): void {
    const seed = this.owed.get(sessionId)
    if (seed === undefined || this.making.has(sessionId)) return
    this.owed.delete(sessionId)
    this.making.add(sessionId)
    this.options.background(async (signal) => {
      try {
        const made = await makeTitle(() => this.options.models.small() ?? this.options.models.large(), seed, signal)
        this.settle(sessionId, seed, made)
      } finally {
        this.making.delete(sessionId)
      }
    })
  }

  /** The session is gone: nothing is owed to it. */
  forget(sessionId: string): void {
    this.owed.delete(sessionId)
    this.fallbackSeeds.delete(sessionId)
  }

  private settle(sessionId: string, seed: string, made: MadeTitle): void {
    const session = this.options.sessions.get(sessionId)
    // Deleted, named by the user, or given a title some other way while this one was made: it is dropped. A fallback
    // only ever replaces nothing, and only a model title replaces a fallback (E3).
    if (!session) return
    const replaceable = session.title === null || (session.titleSource === 'fallback' && made.source === 'model')
    if (!replaceable) return
    if (made.source === 'fallback') this.fallbackSeeds.set(sessionId, seed)
    else this.fallbackSeeds.delete(sessionId)
    this.options.sessions.setTitle(sessionId, made.title, made.source)
    this.options.broker.publish({ type: 'session.titled', sessionId, title: made.title, source: made.source })
  }
}
