import Dexie, { type DexieOptions, type EntityTable, type Transaction } from 'dexie'
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
  }
]

/** Parley's history: the system of record in the renderer. */
export class ParleyDatabase extends Dexie {
  // `declare`, not a field: a class field would be initialised after Dexie's constructor and hide the tables.
  declare sessions: EntityTable<SessionRow, 'id'>
  declare messages: EntityTable<MessageRow, 'id'>
  declare meta: EntityTable<MetaRow, 'key'>

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
