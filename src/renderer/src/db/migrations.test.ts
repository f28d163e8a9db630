import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import * as v1 from './fixtures/schema-v1'
import * as v2 from './fixtures/schema-v2'
import * as v3 from './fixtures/schema-v3'
import * as v4 from './fixtures/schema-v4'
import * as v5 from './fixtures/schema-v5'
import { searchMessages } from '../search/search-messages'
import { catchUpSearchIndex, wordsVersion } from '../search/search-index'
import { readWindow } from './message-pages'
import { recentSessions } from './queries'
import { ParleyDatabase, schemaVersions } from './schema'

// architecture.md, Durability: each Dexie schema change is tested against a database made with the version before.
// Every version keeps a frozen fixture (db/fixtures/schema-vN.ts) listed here, so each upgrade is proven against
// every version a user's database may still be at. When an upgrade reshapes rows, this test states the rows it
// expects for each older fixture instead of comparing them with the fixture's own.

const fixtures = [v1, v2, v3, v4, v5]
const options = { indexedDB, IDBKeyRange }
let made = 0

const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id))

describe('Dexie migrations', () => {
  it('never edits an old version: each fixture matches its entry in schemaVersions', () => {
    for (const fixture of fixtures) {
      expect(schemaVersions.find((entry) => entry.version === fixture.version)?.stores).toEqual(fixture.stores)
    }
  })

  it.each(fixtures.map((fixture) => [fixture.version, fixture] as const))(
    'opens a version %i database with the current schema and keeps every row intact',
    async (_, fixture) => {
      const name = `parley-migration-${fixture.version}-${++made}`
      await fixture.createDatabase(name, options)

      const db = new ParleyDatabase(name, options)
      await db.open()
      expect(db.verno).toBe(schemaVersions.at(-1)?.version)
      expect(byId(await db.sessions.toArray())).toEqual(byId(fixture.rows.sessions))
      expect(byId(await db.messages.toArray())).toEqual(byId(fixture.rows.messages))
      // Version 5 dropped the search index's marks of older versions: their index is built again.
      const meta = fixture.version < 5 ? fixture.rows.meta.filter((row) => row.key === 'lastAppliedSeq') : fixture.rows.meta
      expect(await db.meta.toArray()).toEqual(meta)
      expect(await db.lastAppliedSeq()).toBe(fixture.rows.meta.find((row) => row.key === 'lastAppliedSeq')?.value)

      // The indexes the app reads through still answer: the sidebar's order, each chat's messages in order, a run's.
      const sidebar = [...fixture.rows.sessions].sort((a, b) => b.updatedAt - a.updatedAt).map((row) => row.id)
      expect((await recentSessions(db)).map((session) => session.id)).toEqual(sidebar)
      for (const session of fixture.rows.sessions) {
        const expected = fixture.rows.messages
          .filter((row) => row.sessionId === session.id)
          .sort((a, b) => a.createdAt - b.createdAt || a.createdSeq - b.createdSeq)
          .map((row) => row.id)
        const whole = { start: Number.NEGATIVE_INFINITY, end: { kind: 'at', createdAt: Number.POSITIVE_INFINITY, anchorId: '', anchor: 'exact' } } as const
        const page = await readWindow(db, session.id, whole, { page: 1000, cap: 100_000 })
        expect(page.messages.map((message) => message.id)).toEqual(expected)
      }
      for (const { runId } of fixture.rows.messages) {
        const expected = fixture.rows.messages.filter((row) => row.runId === runId).map((row) => row.id).sort()
        expect((await db.messages.where('runId').equals(runId).toArray()).map((message) => message.id).sort()).toEqual(expected)
      }

      // Search: a database before version 5 has no index until the idle pass builds it (version 5 dropped the older
      // entries, and the watermark with them); version 5's continues from its watermark. From then on each version
      // answers the same.
      if (fixture.version === 5) {
        expect(await db.searchChunks.toArray()).toEqual(v5.rows.searchChunks)
        expect(await db.searchTerms.toArray()).toEqual(v5.rows.searchTerms)
      } else {
        expect(await db.searchChunks.count()).toBe(0)
        expect(await db.meta.get('searchIndexedSeq')).toBeUndefined()
      }
      const progress: number[] = []
      await catchUpSearchIndex(db, { onProgress: ({ done }) => progress.push(done) })
      // Every one is indexed from the first message: the older ones had no index, and version 5's was made with words
      // version 3, before scripts without spaces were split into pairs (4), so it is built again. (An index of the
      // current words continues from its watermark: search-index.test.ts.)
      if (fixture.version === 5) expect(v5.rows.meta.find((row) => row.key === 'searchIndex')?.value).toBeLessThan(wordsVersion)
      expect(progress.at(-1)).toBe(fixture.rows.messages.length)
      expect((await searchMessages(db, 'bakery')).chats.flatMap((chat) => chat.hits.map((hit) => hit.messageId))).toEqual(
        // Only versions 3, 4 and 5's fixtures have a message about a bakery.
        fixture.version >= 3 ? ['m3'] : []
      )
      // Thumbnails (version 4 and after) stay; older databases have none yet, and make them lazily.
      expect(await db.thumbnails.toArray()).toEqual('thumbnails' in fixture.rows ? fixture.rows.thumbnails : [])
      const found = await searchMessages(db, 'RAMI')
      expect(found.chats.map((chat) => [chat.title, ...chat.hits.map((hit) => hit.messageId)])).toEqual([['Trip to Lisbon', 'm2']])
      db.close()
    }
  )
})
