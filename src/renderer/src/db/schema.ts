import Dexie, { type DexieOptions, type EntityTable, type Table, type Transaction } from 'dexie'
import { sinceSchema, type Message, type Session } from '../../../shared'

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
 * Schema version 5: the search index in chunks (search/search-chunks.ts). One row per about 500 messages, in the
 * order the idle pass indexed them (ids ascending, newest last), holding each word's postings: which of the chunk's
 * messages have it. Kept small (reading a row costs by its size): no offsets, they are counted when read.
 */
export interface SearchChunkRow {
  id: number
  /** The chunk's distinct words, sorted, joined by '\n'. */
  dictionary: string
  /** How many messages hold each word, in the dictionary's order. */
  counts: Uint16Array
  /** Each word's messages in turn (`counts` of them each), as ordinals into `messageIds`. */
  postings: Uint16Array
  messageIds: string[]
}

/**
 * The terms one indexing pass added, for the multi-entry `terms` index: `word \u0001 order \u0001 messageId` for each
 * word of each message (order: the message's place in the order of indexing, base 36, fixed width), or, for a word
 * in more than a few of the pass's messages in one chunk, only `word \u0002 chunk` (the chunk row has them). A rarer
 * word's messages are then one index range, read without reading any chunk. Written once, never read as rows.
 */
export interface SearchTermsRow {
  id?: number
  terms: string[]
}

/**
 * Meta's key for the search index's words: the version of `indexedWordsOf` the index was built with. Absent after the
 * upgrades to versions 2 and 4 and in a new database, so the index is built from the rows once, with progress.
 */
export const searchIndexKey = 'searchIndex'

/**
 * Meta's key for the search index's watermark (schema version 3): every finished message whose row `seq` is below its
 * `value`, or equal to it with an id at or below its `id`, is indexed (search/index-watermark.ts; a row without `id`,
 * kept before there was one, covers every row of its seq). The index is kept by an idle pass after the commits
 * (search/search-index.ts), not by the commit itself, so which rows are not indexed yet is always derivable from the
 * rows: those past the watermark.
 */
export const searchIndexedSeqKey = 'searchIndexedSeq'

/**
 * Meta's key for how many times the search index was emptied (`resetSearchIndex`: a history rebuild, new words). The
 * indexer reads its rows in one transaction and writes the index in another; it writes only if neither this nor the
 * watermark moved in between (search/search-index.ts).
 */
export const searchIndexResetsKey = 'searchIndexResets'

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
  },
  {
    // Search in chunks (issue 11, search at 100,000 messages): one row per ~500 messages, and one row of terms per
    // indexing pass, replace a row per message (a put each) with ~25 multi-entry keys. The entries go; the watermark
    // and the words' mark go with them, so the idle pass indexes every message again, with progress.
    version: 5,
    stores: {
      sessions: 'id, updatedAt',
      messages: 'id, [sessionId+createdAt], runId, seq',
      meta: 'key',
      searchEntries: null,
      searchChunks: 'id',
      searchTerms: '++id, *terms',
      thumbnails: 'id'
    },
    upgrade: async (tx) => {
      await tx.table('meta').bulkDelete([searchIndexKey, searchIndexedSeqKey])
    }
  }
]

/** Parley's history: the system of record in the renderer. */
export class ParleyDatabase extends Dexie {
  // `declare`, not a field: a class field would be initialised after Dexie's constructor and hide the tables.
  declare sessions: EntityTable<SessionRow, 'id'>
  declare messages: EntityTable<MessageRow, 'id'>
  declare meta: EntityTable<MetaRow, 'key'>
  declare searchChunks: EntityTable<SearchChunkRow, 'id'>
  declare searchTerms: Table<SearchTermsRow, number>
  declare thumbnails: EntityTable<ThumbnailRow, 'id'>

  constructor(name: string = databaseName, options?: DexieOptions) {
    super(name, options)
    for (const { version, stores, upgrade } of schemaVersions) {
      const declared = this.version(version).stores(stores)
      if (upgrade) declared.upgrade(upgrade)
    }
  }

  /**
   * The seq of the last committed event; 0 when there is none, or when what is stored is not a seq a subscribe can
   * carry (a damaged row): main then replays what it has, or the window rebuilds from main's history on the gap.
   */
  async lastAppliedSeq(): Promise<number> {
    const stored = sinceSchema.safeParse((await this.meta.get(lastAppliedSeqKey))?.value ?? 0)
    return stored.success ? stored.data : 0
  }
}
