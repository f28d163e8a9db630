import Dexie, { type DexieOptions, type EntityTable, type Table, type Transaction } from 'dexie'
import type { Message, Session } from '../../../shared'

/**
 * Whether a chat has an answer the person hasn't seen (sessions/unseen.ts has the rules). Not indexed, so rows from
 * before it existed need no upgrade: they have neither seq, and count as seen.
 */
export interface UnseenMark {
  /** The seq of the last answer that finished while the chat was not in view. */
  unseenSeq?: number | undefined
  /** The seq through which the person has seen the chat. */
  seenSeq?: number | undefined
}

/**
 * A session as Dexie keeps it. `seq` is the seq of the last event applied to the row: an event at or below it has
 * already been applied, so replaying it changes nothing. The unseen mark has watermarks of its own and leaves `seq`
 * alone.
 */
export interface SessionRow extends Session, UnseenMark {
  seq: number
  /**
   * The session's current leaf (rule H3), as main's log has it: the newest message, or the one a branch switch chose.
   * Not indexed; absent on rows from before the tree (their chat is one branch).
   */
  leafId?: string | undefined
  /** The seq of the event that set `leafId`: an older one replayed never moves the leaf back. */
  leafSeq?: number | undefined
}

/**
 * A message as Dexie keeps it. `seq` is the row's watermark (the last event folded into it: created, a delta
 * checkpoint, or finished). `createdSeq` breaks ties between messages created in the same millisecond, so a user
 * message always sorts before the answer to it.
 */
export interface MessageRow extends Message {
  seq: number
  createdSeq: number
}

/** Key/value rows; `lastAppliedSeq` is the seq through which every event is committed to this database. */
export interface MetaRow {
  key: string
  value: number
}

export const lastAppliedSeqKey = 'lastAppliedSeq'

/**
 * A finished message's words, for search (search/search-index.ts). The key leads with `createdAt` and names the chat,
 * so the `words` index answers a prefix with keys that already say how recent each hit is and where it belongs:
 * ranking and grouping read no rows. Written in the same transaction as the message row it describes.
 */
export interface SearchEntryRow {
  createdAt: number
  sessionId: string
  messageId: string
  /** Distinct folded words (search/words.ts); a multi-entry index. */
  words: string[]
}

export type SearchEntryKey = [createdAt: number, sessionId: string, messageId: string]

/**
 * Meta's key for the search index: present (with the words' version) once every message in Dexie is indexed. Absent
 * after the upgrade to version 2 and in a new database, so the index is built from the rows once, with progress.
 */
export const searchIndexKey = 'searchIndex'

/**
 * Meta's key for the search index's watermark (schema version 3): every finished message whose row `seq` is at or
 * below it is indexed. The index is kept by an idle pass after the commits (search/search-index.ts), not by the
 * commit itself, so which rows are not indexed yet is always derivable from the rows: those above the watermark.
 */
export const searchIndexedSeqKey = 'searchIndexedSeq'

/**
 * An image attachment's thumbnail (~256 px, a data URL), keyed by the attachment's id (its SHA-256): made when it is
 * attached, or lazily from main's bytes for messages that arrive without one (a rebuild, an import, another window).
 */
export interface ThumbnailRow {
  id: string
  dataUrl: string
}

export const databaseName = 'parley'

interface SchemaVersion {
  version: number
  stores: Record<string, string | null>
  /** Moves rows written by the previous version into this version's shape. */
  upgrade?: (tx: Transaction) => Promise<void>
}

/**
 * Every version the database has ever had, oldest first. A change is a new entry with its upgrade, never an edit of
 * an old one (architecture.md, Durability): a user's database may be at any of them. Each version has a frozen
 * fixture in `fixtures/schema-vN.ts`, which migrations.test.ts opens with the current schema: one per version.
 */
export const schemaVersions: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      sessions: 'id, updatedAt',
      messages: 'id, [sessionId+createdAt], runId',
      meta: 'key'
    }
  },
  {
    // Search across every chat (issue 11). Rows of version 1 are indexed by the search index's rebuild, not here: it
    // shows progress and doesn't hold the database closed while a large history is read.
    version: 2,
    stores: {
      sessions: 'id, updatedAt',
      messages: 'id, [sessionId+createdAt], runId',
      meta: 'key',
      searchEntries: '[createdAt+sessionId+messageId], messageId, sessionId, *words'
    },
    upgrade: async (tx) => {
      await tx.table('meta').delete(searchIndexKey)
    }
  },
  {
    // Search indexed off the commit (issue 11): messages get a `seq` index, so an idle pass finds the rows written
    // since its watermark. No rows change: without a watermark the pass indexes every message once.
    version: 3,
    stores: {
      sessions: 'id, updatedAt',
      messages: 'id, [sessionId+createdAt], runId, seq',
      meta: 'key',
      searchEntries: '[createdAt+sessionId+messageId], messageId, sessionId, *words'
    }
  },
  {
    // Attachments (issue 14): image thumbnails, keyed by attachment id. Messages gain `attachments` (refs), which
    // need no index, so no row changes: a message that arrives without a thumbnail gets one lazily.
    version: 4,
    stores: {
      sessions: 'id, updatedAt',
      messages: 'id, [sessionId+createdAt], runId, seq',
      meta: 'key',
      searchEntries: '[createdAt+sessionId+messageId], messageId, sessionId, *words',
      thumbnails: 'id'
    }
  }
]

/** Parley's history: the system of record in the renderer. */
export class ParleyDatabase extends Dexie {
  // `declare`, not a field: a class field would be initialised after Dexie's constructor and hide the tables.
  declare sessions: EntityTable<SessionRow, 'id'>
  declare messages: EntityTable<MessageRow, 'id'>
  declare meta: EntityTable<MetaRow, 'key'>
  declare searchEntries: Table<SearchEntryRow, SearchEntryKey>
  declare thumbnails: EntityTable<ThumbnailRow, 'id'>

  constructor(name: string = databaseName, options?: DexieOptions) {
    super(name, options)
    for (const { version, stores, upgrade } of schemaVersions) {
      const declared = this.version(version).stores(stores)
      if (upgrade) declared.upgrade(upgrade)
    }
  }

  async lastAppliedSeq(): Promise<number> {
    return (await this.meta.get(lastAppliedSeqKey))?.value ?? 0
  }
}
