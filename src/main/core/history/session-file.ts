import { join } from 'node:path'
import { z } from 'zod'
import { sessionSchema, type Session } from '../../../shared'
import type { SessionDirectory } from '../agent/session-directory'
import type { EventBroker } from '../events/event-broker'
import { readFileIfPresent, writeFileAtomic } from '../settings/json-file'

const fileSchema = z.object({ sessions: z.array(sessionSchema) })

/**
 * Main's list of sessions, kept in the data folder so that after a restart main still accepts prompts for the
 * sessions the renderer shows. Messages are in the session log (`session-log.ts`). Written after session events, once per tick.
 */
export class SessionFile {
  readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, 'sessions.json')
  }

  load(): Session[] {
    const text = readFileIfPresent(this.path)
    if (text === undefined) return []
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data.sessions : []
    } catch {
      return []
    }
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
