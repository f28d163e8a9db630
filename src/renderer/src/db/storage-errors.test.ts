import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../testing/history-fixtures'
import { storageFailureOf } from './storage-errors'

const quota = (): DOMException => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe('storageFailureOf', () => {
  it('names a full disk however it is wrapped: bare, in an aborted transaction, in a Dexie error, in a BulkError', () => {
    expect(storageFailureOf(quota())).toBe('full')
    expect(storageFailureOf(new Dexie.AbortError('Transaction aborted', quota()))).toBe('full')
    expect(storageFailureOf(new Dexie.QuotaExceededError('Quota exceeded'))).toBe('full')
    expect(storageFailureOf(new Error('write failed', { cause: quota() }))).toBe('full')
    expect(storageFailureOf(new Dexie.BulkError('1 of 2 failed', { 1: quota() }))).toBe('full')
  })

  it('prefers the cause when the wrapper only says the browser failed', () => {
    expect(storageFailureOf(new Dexie.UnknownError('Internal error', quota()))).toBe('full')
    expect(storageFailureOf(new Dexie.UnknownError('Internal error opening backing store'))).toBe('unavailable')
  })

  it('names a closed database, and anything else as other', () => {
    expect(storageFailureOf(new Dexie.DatabaseClosedError('Database has been closed'))).toBe('closed')
    expect(storageFailureOf(new Error('disk on fire'))).toBe('other')
    expect(storageFailureOf('a string')).toBe('other')
    expect(storageFailureOf(undefined)).toBe('other')
  })

  it('reads what Dexie really rejects with: a transaction whose write throws, a write to a closed database', async () => {
    const db = freshDatabase()
    await db.open()
    const failed = await db
      .transaction('rw', db.meta, async () => {
        await db.meta.put({ key: 'x', value: 1 })
        throw quota()
      })
      .catch((error: unknown) => error)
    expect(storageFailureOf(failed)).toBe('full')

    db.close()
    const closed = await db.meta.put({ key: 'y', value: 2 }).catch((error: unknown) => error)
    expect(storageFailureOf(closed)).toBe('closed')
  })
})
