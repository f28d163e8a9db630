import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../testing/history-fixtures'
import { lastAppliedSeqKey, schemaVersions } from './schema'

describe('ParleyDatabase schema', () => {
  it('lists its versions oldest first, each a whole number above the last', () => {
    const versions = schemaVersions.map((entry) => entry.version)
    expect(versions[0]).toBe(1)
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] ?? 0)
  })

  it('opens a fresh database at the latest version with the indexes the queries use', async () => {
    const db = freshDatabase()
    await db.open()
    expect(db.verno).toBe(schemaVersions.at(-1)?.version)
    expect(db.sessions.schema.primKey.name).toBe('id')
    expect(db.sessions.schema.indexes.map((index) => index.name)).toContain('updatedAt')
    expect(db.messages.schema.indexes.map((index) => index.name)).toEqual(
      expect.arrayContaining(['[sessionId+createdAt]', 'runId'])
    )
    expect(db.meta.schema.primKey.name).toBe('key')
    expect(await db.lastAppliedSeq()).toBe(0)
    db.close()
  })

  it('reads a damaged lastAppliedSeq as 0, so subscribing asks main for everything instead of throwing', async () => {
    const db = freshDatabase()
    await db.open()
    await db.meta.put({ key: lastAppliedSeqKey, value: 41 })
    expect(await db.lastAppliedSeq()).toBe(41)
    for (const damaged of [2 ** 48 + 1, -3, 1.5, Number.NaN]) {
      await db.meta.put({ key: lastAppliedSeqKey, value: damaged })
      expect(await db.lastAppliedSeq(), String(damaged)).toBe(0)
    }
    db.close()
  })
})
