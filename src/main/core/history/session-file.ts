import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { open as openFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { issuesText, sessionSchema, type DataRecovery, type ParleyEvent, type Session } from '../../../shared'
import { loadOrRecover, type Salvaged } from '../data-files/load-or-recover'
import type { SessionDirectory } from '../agent/session-directory'
import type { EventBroker } from '../events/event-broker'
import type { EventGate } from '../events/gated-listener'
import { writeFileAtomic } from '../settings/json-file'
import { SeqWaiters } from './seq-waiters'

const savedSeqSchema = z.number().int().nonnegative()
/** `savedSeq`: the seq of the last chat event the list has taken in (absent in files from before it existed). */
const fileSchema = z.object({ sessions: z.array(sessionSchema), savedSeq: savedSeqSchema.optional() })

/** The largest chat list Parley reads: 50,000 chats take about 10 MB. */
const maxSessionsBytes = 256 * 2 ** 20

/** What the file holds: the chats, and the seq of the last chat event in them. */
export interface SavedSessions {
  sessions: Session[]
  savedSeq: number
}

/** Keeps every valid chat of a damaged list: one bad entry must not cost every chat (and their prompts). */
export function salvageSessions(raw: unknown): Salvaged<SavedSessions> {
  const whole = fileSchema.safeParse(raw)
  if (whole.success) {
    const { sessions, savedSeq = 0 } = whole.data
    return { value: { sessions, savedSeq }, kept: sessions.length, lost: 0, problem: '' }
  }
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
  // A damaged file's seq is not trusted: every chat event the journal still has is applied again (they are idempotent).
  return {
    value: { sessions, savedSeq: 0 },
    kept: sessions.length,
    lost,
    problem: lost > 0 ? `${lost} chat${lost === 1 ? ' is' : 's are'} not valid (${firstProblem})` : ''
  }
}

/** The chat events the list follows (`session.busy` and `session.branch` are not part of a chat's entry). */
function changesList(event: ParleyEvent): boolean {
  return event.type === 'session.created' || event.type === 'session.updated' || event.type === 'session.titled' || event.type === 'session.deleted'
}

/**
 * Applies a chat event the journal kept to the directory, as the agent did when it published it. Idempotent, so an
 * event the file already had changes nothing.
 */
export function applySessionEvent(directory: SessionDirectory, event: ParleyEvent): void {
  switch (event.type) {
    case 'session.created':
      if (!directory.has(event.session.id)) directory.add(event.session, event.session.title !== null)
      return
    case 'session.titled':
      directory.setTitle(event.sessionId, event.title, event.source ?? 'user')
      return
    case 'session.updated':
      if (event.options) directory.setOptions(event.sessionId, event.options)
      return
    case 'session.deleted':
      directory.remove(event.sessionId)
      return
    default:
      return
  }
}

export interface SessionFileOptions {
  /** How long a change may wait before the list is written, so a flood of changes is one write (1 s by default). */
  delayMs?: number
  /** A pass of this many changes in one tick (an import) is written at its end, at once (1,000 by default). */
  bulkChanges?: number
  /**
   * The file is written at once when this many events came while it was behind (5,000 by default): half of what the
   * journal's outbox keeps when no window acknowledges, so a chat change reaches the file long before it could go.
   */
  behindEvents?: number
  /** Holds a write until the journal records of the events in it are durable (main's journal's `gate`). */
  gate?: EventGate
  warn?: (message: string) => void
}

/** The list's handle while main runs. */
export interface AttachedSessionFile {
  /** Resolves once every chat change published so far is in the file (an ack waits for it: rule F3 and issue 13). */
  saved(): Promise<void>
  /** Writes what is not in the file yet now, off the thread, instead of after `delayMs`; resolves as `saved` does. */
  flush(): Promise<void>
  /** Writes the directory now, as it is (after chats were added to it without an event: rebuilt from the log). */
  rewrite(): void
  /** Stops following, lets a write in flight end, then writes what is left. */
  detach(): Promise<void>
}

/**
 * Main's list of sessions, kept in the data folder so that after a restart main still accepts prompts for the
 * sessions the renderer shows. Messages are in the session log (`session-log.ts`).
 *
 * Written after chat events, at most once a `delayMs` (issue 13: a flood of `createSession` once rewrote and fsynced
 * the whole list per chat, and held every other call for seconds). What it has not written yet is durable in main's
 * journal first: every chat event is a history event the journal keeps until it is acknowledged, an ack waits for the
 * file (`saved`), and at start the events after the file's `savedSeq` are applied again. A write waits for the journal
 * (`gate`), so the file is never ahead of it.
 */
export class SessionFile {
  readonly path: string
  /** How many times the list was written (a seam for tests). */
  writes = 0

  constructor(dataDir: string) {
    this.path = join(dataDir, 'sessions.json')
  }

  /** Set by `load` when the file was damaged: what was kept, and where the damaged file was copied. */
  recovery: DataRecovery | undefined

  load(): SavedSessions {
    if (existsSync(dirname(this.path))) this.removeLeftovers()
    const { value, recovery } = loadOrRecover(this.path, {
      empty: { sessions: [], savedSeq: 0 },
      maxBytes: maxSessionsBytes,
      salvage: salvageSessions
    })
    this.recovery = recovery
    return value
  }

  /**
   * Loads the saved sessions into the directory, applies the chat events the broker retains after the file's
   * `savedSeq` (the journal's, after a crash), then saves the directory after chat events.
   */
  attach(directory: SessionDirectory, broker: EventBroker, options: SessionFileOptions = {}): AttachedSessionFile {
    const { sessions, savedSeq } = this.load()
    // Seqs go on after the file's too: the events it holds must never be numbered again.
    broker.resumeAfter(savedSeq)
    // A session without a title gets one at its next prompt, so "started" is only assumed for titled sessions; one
    // whose prompts are in the log already is owed its title at the start (`SessionAgent.titleUntitledChats`, E1).
    for (const session of sessions) directory.add(session, session.title !== null)
    const delayMs = options.delayMs ?? 1000
    const bulkChanges = options.bulkChanges ?? 1000
    const behindEvents = options.behindEvents ?? 5000
    const gate = options.gate ?? (() => undefined)
    const warn = options.warn ?? ((message: string) => console.warn(`[parley] ${message}`))
    const waiters = new SeqWaiters()
    const replayedThrough = broker.lastSeq
    let heard = savedSeq
    let written = savedSeq
    /** Chat events heard in this tick (a synchronous pass), counted until its end. */
    let thisTick = 0
    /** Events heard since the file fell behind the chat changes. */
    let sinceBehind = 0
    let nowQueued = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let writing: Promise<void> | undefined
    let detached = false
    let tempCount = 0

    const finish = (seq: number): void => {
      written = Math.max(written, seq)
      if (written >= heard) sinceBehind = 0
      this.writes += 1
      waiters.wake(written)
    }
    const writeNow = (): void => {
      if (heard <= written) return
      const seq = heard
      this.save(directory.list(), seq)
      finish(seq)
    }
    const writeLater = (): void => {
      timer = undefined
      if (detached || heard <= written) return
      if (writing) return schedule()
      writing = writeAsync().finally(() => {
        writing = undefined
        if (heard > written) schedule()
      })
    }
    const writeAsync = async (): Promise<void> => {
      // One step: the list and the seq it is complete through are taken together.
      const seq = heard
      const text = JSON.stringify({ sessions: directory.list(), savedSeq: seq })
      const temp = `${this.path}.${process.pid}.${(tempCount += 1)}.tmp`
      try {
        await gate(seq)
        const handle = await openFile(temp, 'w', 0o600)
        try {
          await handle.writeFile(text)
          await handle.sync()
        } finally {
          await handle.close()
        }
        // A later write (a bulk pass, or the last one at detach) may have landed meanwhile: never put an older list back.
        if (seq > written) {
          renameSync(temp, this.path)
          finish(seq)
        } else {
          rmSync(temp, { force: true })
        }
      } catch (error) {
        rmSync(temp, { force: true })
        warn(`the chat list could not be written (${error instanceof Error ? error.message : String(error)}); trying again`)
      }
    }
    function schedule(): void {
      if (timer === undefined && !detached) timer = setTimeout(writeLater, delayMs)
    }

    const unsubscribe = broker.subscribe({ since: savedSeq }, (event) => {
      // The journal keeps a bounded outbox (20,000 events) while no window acknowledges: a chat change must reach the
      // file long before that many events come after it.
      if (heard > written) sinceBehind += 1
      if (changesList(event)) {
        // Events an earlier main published after the file's last write: the directory doesn't have them yet.
        if (event.seq <= replayedThrough) applySessionEvent(directory, event)
        heard = Math.max(heard, event.seq)
        thisTick += 1
        schedule()
      }
      // An import publishes thousands of chat events in one pass: one write says them all, at its end.
      if (!nowQueued && heard > written && (thisTick >= bulkChanges || sinceBehind >= behindEvents)) {
        nowQueued = true
        queueMicrotask(() => {
          nowQueued = false
          if (!detached) writeNow()
        })
      }
      if (thisTick === 1 && changesList(event)) queueMicrotask(() => (thisTick = 0))
    })
    return {
      saved: () => waiters.until(heard, written),
      flush: async () => {
        const wanted = heard
        await writing
        if (written < wanted && !detached) {
          clearTimeout(timer)
          timer = undefined
          writeLater()
          await writing
        }
        // A write that failed said so (`warn`) and is tried again after `delayMs`: this waits for it as `saved` does.
        return waiters.until(wanted, written)
      },
      rewrite: () => {
        this.save(directory.list(), heard)
        finish(heard)
      },
      detach: async () => {
        if (detached) return
        detached = true
        unsubscribe()
        clearTimeout(timer)
        await writing
        writeNow()
      }
    }
  }

  save(sessions: Session[], savedSeq: number): void {
    writeFileAtomic(this.path, JSON.stringify({ sessions, savedSeq }))
  }

  /** Temp files of writes a crash cut short (one core per data folder, so none is in use). */
  private removeLeftovers(): void {
    const dir = dirname(this.path)
    const prefix = `${basename(this.path)}.`
    for (const name of readdirSync(dir)) if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dir, name), { force: true })
  }
}
