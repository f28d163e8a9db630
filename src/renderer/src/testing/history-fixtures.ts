import type { DBCore, DBCoreMutateResponse } from 'dexie'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import type { EventBody, Message } from '../../../shared'
import { ParleyDatabase, type MessageRow } from '../db/schema'

let databases = 0

/** A fresh database in fake-indexeddb, injected the way the app's own database is (the test seam). */
export function freshDatabase(name = `parley-test-${++databases}`): ParleyDatabase {
  return new ParleyDatabase(name, { indexedDB, IDBKeyRange })
}

/** The same database opened again, as a reloaded window would. */
export function reopenDatabase(db: ParleyDatabase): ParleyDatabase {
  return new ParleyDatabase(db.name, { indexedDB, IDBKeyRange })
}

/** Everything in the database, in key order, to compare two databases row for row. */
export async function snapshot(db: ParleyDatabase): Promise<unknown> {
  return {
    sessions: await db.sessions.toArray(),
    messages: await db.messages.toArray(),
    meta: await db.meta.toArray(),
    searchChunks: await db.searchChunks.toArray(),
    searchTerms: await db.searchTerms.toArray()
  }
}

export function sessionCreated(id: string, at = 1): EventBody {
  return { type: 'session.created', session: { id, title: null, createdAt: at, updatedAt: at } }
}

export function userMessage(sessionId: string, id: string, text: string, createdAt = 2, runId = `run-${id}`): Message {
  return {
    id,
    sessionId,
    runId,
    role: 'user',
    parts: [{ type: 'text', text }],
    status: 'finished',
    createdAt
  }
}

export function assistantMessage(sessionId: string, id: string, createdAt = 3, runId = `run-${id}`): Message {
  return { id, sessionId, runId, role: 'assistant', parts: [], status: 'streaming', createdAt }
}

export function finished(message: Message, text: string, reasoning = ''): Message {
  return {
    ...message,
    status: 'finished',
    finishReason: 'end_turn',
    parts: [...(reasoning ? [{ type: 'reasoning' as const, text: reasoning }] : []), { type: 'text', text }]
  }
}

export function delta(message: Message, text: string): EventBody {
  return { type: 'message.delta', sessionId: message.sessionId, messageId: message.id, text }
}

/** Every row write Dexie sends to IndexedDB, as a DBCore mutate request. */
type MutateRequest = Parameters<ReturnType<DBCore['table']>['mutate']>[0]

/**
 * Puts `intercept` in front of every write Dexie sends to IndexedDB, from the moment it is installed: to count
 * writes, or to make them fail.
 */
export function interceptWrites(
  db: ParleyDatabase,
  name: string,
  intercept: (table: string, request: MutateRequest, write: () => Promise<DBCoreMutateResponse>) => Promise<DBCoreMutateResponse>
): void {
  db.use({
    stack: 'dbcore',
    name,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName)
        return { ...table, mutate: (request) => intercept(tableName, request, () => table.mutate(request)) }
      }
    })
  })
}

/** Counts every row write Dexie sends to IndexedDB, per table, from the moment it is installed. */
export function countWrites(db: ParleyDatabase): Record<string, number> {
  const counts: Record<string, number> = {}
  interceptWrites(db, 'count-writes', (table, request, write) => {
    const rows = request.type === 'deleteRange' ? 1 : request.type === 'delete' ? request.keys.length : request.values.length
    counts[table] = (counts[table] ?? 0) + rows
    return write()
  })
  return counts
}

/**
 * One turn of Node's event loop. fake-indexeddb schedules its work with setImmediate, which the tests' fake timers
 * leave real; the renderer's DOM types don't declare it, hence the cast.
 */
export function nextTurn(): Promise<void> {
  const { setImmediate } = globalThis as unknown as { setImmediate: (callback: () => void) => void }
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Rows of a linear chat, as Dexie holds them: m`from` to m`from + count - 1`, "Message i", user and assistant in turn,
 * a second apart, each the parent of the next (a long chat's fixture).
 */
export function linearChatRows(sessionId: string, count: number, from = 0): MessageRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k
    return {
      id: `m${i}`,
      sessionId,
      runId: `run-${Math.floor(i / 2)}`,
      parentId: i === 0 ? null : `m${i - 1}`,
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      parts: [{ type: 'text' as const, text: `Message ${i}` }],
      status: 'finished' as const,
      createdAt: 1_000 + i * 1_000,
      seq: i + 2,
      createdSeq: i + 2
    }
  })
}
