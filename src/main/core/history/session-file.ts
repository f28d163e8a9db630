import { join } from 'node:path'
import { z } from 'zod'
import { issuesText, sessionSchema, type DataRecovery, type Session } from '../../../shared'
import { loadOrRecover, type Salvaged } from '../data-files/load-or-recover'
import type { SessionDirectory } from '../agent/session-directory'
import type { EventBroker } from '../events/event-broker'
import { writeFileAtomic } from '../settings/json-file'

const fileSchema = z.object({ sessions: z.array(sessionSchema) })

/** The largest chat list Parley reads: 50,000 chats take about 10 MB. */
const maxSessionsBytes = 256 * 2 ** 20

/** Keeps every valid chat of a damaged list: one bad entry must not cost every chat (and their prompts). */
export function salvageSessions(raw: unknown): Salvaged<Session[]> {
  const whole = fileSchema.safeParse(raw)
  if (whole.success) return { value: whole.data.sessions, kept: whole.data.sessions.length, lost: 0, problem: '' }
  const entries: unknown = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'sessions') : undefined
  if (!Array.isArray(entries)) throw new Error('it has no list of chats')
  const sessions: Session[] = []
  const ids = new Set<string>()
  let firstProblem = ''
  for (const [index, entry] of entries.entries()) {
    const parsed = sessionSchema.safeParse(entry)
    if (parsed.success && !ids.has(parsed.data.id)) {
      sessions.push(parsed.data)
      ids.add(parsed.data.id)
    } else if (!firstProblem) {
      firstProblem = parsed.success ? `chat ${index + 1} repeats the id of another` : `chat ${index + 1}: ${issuesText(parsed.error, 2)}`
    }
  }
  const lost = entries.length - sessions.length
  return { value: sessions, kept: sessions.length, lost, problem: lost > 0 ? `${lost} chat${lost === 1 ? ' is' : 's are'} not valid (${firstProblem})` : '' }
}

/**
 * Main's list of sessions, kept in the data folder so that after a restart main still accepts prompts for the
 * sessions the renderer shows. Messages are in the session log (`session-log.ts`). Written after session events, once per tick.
 */
export class SessionFile {
  readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, 'sessions.json')
  }

  /** Set by `attach` when the file was damaged: what was kept, and where the damaged file was copied. */
  recovery: DataRecovery | undefined

  load(): Session[] {
    const { value, recovery } = loadOrRecover(this.path, { empty: [], maxBytes: maxSessionsBytes, salvage: salvageSessions })
    this.recovery = recovery
    return value
  }

  /** Loads the saved sessions into the directory, then saves the directory after each session event. */
  attach(directory: SessionDirectory, broker: EventBroker): () => void {
    // A session without a title gets one at its next prompt, so "started" is only assumed for titled sessions.
    for (const session of this.load()) directory.add(session, session.title !== null)
    // Once per tick: an import publishes thousands of session events in one pass, and one write says them all.
    let pending = false
    const flush = (): void => {
      if (!pending) return
      pending = false
      this.save(directory.list())
    }
    const unsubscribe = broker.subscribe({ since: broker.lastSeq }, (event) => {
      if (!event.type.startsWith('session.') || event.type === 'session.busy' || pending) return
      pending = true
      queueMicrotask(flush)
    })
    return () => {
      unsubscribe()
      flush()
    }
  }

  save(sessions: Session[]): void {
    writeFileAtomic(this.path, JSON.stringify({ sessions }))
  }
}
