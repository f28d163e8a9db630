import type { ParleyDatabase } from './schema'

/** The database, open; when the one found could not be opened and was made anew, why it could not. */
export type OpenedHistory = { db: ParleyDatabase; damaged: false } | { db: ParleyDatabase; damaged: true; cause: unknown }

/**
 * Opens the history database. One that fails to open (damaged, or made by a Parley this one can't read) is deleted
 * and made anew, empty: main keeps every chat, so the window rebuilds it from main (`history-rebuild.ts`) and nothing
 * is lost. If the browser can't even delete it (no IndexedDB at all, a private window), the first failure is thrown.
 */
export async function openHistory(make: () => ParleyDatabase): Promise<OpenedHistory> {
  const db = make()
  try {
    await openWhole(db)
    return { db, damaged: false }
  } catch (damage) {
    db.close()
    try {
      await db.delete()
      const fresh = make()
      await openWhole(fresh)
      return { db: fresh, damaged: true, cause: damage }
    } catch {
      throw damage
    }
  }
}

/**
 * Opens the database and checks it has every table: Dexie opens a database a newer version left (or one damaged
 * into another shape) without complaint, and the first read of a missing table would fail instead.
 */
async function openWhole(db: ParleyDatabase): Promise<void> {
  await db.open()
  const stores = db.backendDB().objectStoreNames
  const missing = db.tables.map((table) => table.name).filter((name) => !stores.contains(name))
  if (missing.length > 0) {
    db.close()
    throw new Error(`The history database has no ${missing.join(', ')} table.`)
  }
}
