import { ParleyError, type Session, type SessionOptions, type TitleSource } from '../../../shared'

interface Entry {
  session: Session
  /** Whether the session has had a user message: the first one triggers the title (rule E1). */
  started: boolean
}

/** The sessions main knows about, so a call for a missing one is refused at once and without an await (rule A1). */
export class SessionDirectory {
  private readonly entries = new Map<string, Entry>()

  add(session: Session, started = false): void {
    this.entries.set(session.id, { session: { ...session }, started })
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId)
  }

  /** A1: a call for a missing or unknown session is refused with SessionMissing. */
  require(sessionId: string): void {
    if (!this.entries.has(sessionId)) {
      throw new ParleyError('SessionMissing', `There is no chat session with the id ${sessionId}.`)
    }
  }

  get(sessionId: string): Session | undefined {
    return this.entries.get(sessionId)?.session
  }

  list(): Session[] {
    return [...this.entries.values()].map((e) => e.session)
  }

  remove(sessionId: string): void {
    this.entries.delete(sessionId)
  }

  setTitle(sessionId: string, title: string, source: TitleSource): void {
    const entry = this.entries.get(sessionId)
    if (entry) entry.session = { ...entry.session, title, titleSource: source }
  }

  setOptions(sessionId: string, options: SessionOptions): void {
    const entry = this.entries.get(sessionId)
    if (entry) entry.session = { ...entry.session, options }
  }

  /** The chat's own options (`updateSession`), read by each turn as it starts; undefined: the defaults. */
  options(sessionId: string): SessionOptions | undefined {
    return this.entries.get(sessionId)?.session.options
  }

  /** Marks the session started and says whether this was its first user message. */
  markStarted(sessionId: string): boolean {
    const entry = this.entries.get(sessionId)
    if (!entry || entry.started) return false
    entry.started = true
    return true
  }

  get size(): number {
    return this.entries.size
  }
}
