import { ExternalStore } from '../external-store'

/**
 * Whether the browser promised to keep Parley's storage. Without the promise ("best effort"), it may clear IndexedDB
 * under storage pressure, and with it the history: the settings panel says which it is.
 */
export type Persistence = 'unknown' | 'persistent' | 'best-effort'

/** The little of `navigator.storage` used here. */
export type PersistApi = Pick<StorageManager, 'persist' | 'persisted'>

/**
 * Asks the browser to keep the storage (`navigator.storage.persist()`), once at startup. A browser without the API,
 * or one that fails to answer, counts as best effort: nothing promised.
 */
export async function requestPersistence(storage: PersistApi | undefined): Promise<Exclude<Persistence, 'unknown'>> {
  if (!storage) return 'best-effort'
  try {
    if (await storage.persisted()) return 'persistent'
    return (await storage.persist()) ? 'persistent' : 'best-effort'
  } catch {
    return 'best-effort'
  }
}

/** The answer, for the settings panel; `unknown` until the browser has answered. */
export class StoragePersistence extends ExternalStore<Persistence> {
  constructor() {
    super('unknown')
  }

  /** Asks the browser (main.tsx does, once, at startup); the store changes when it answers. */
  async request(storage: PersistApi | undefined): Promise<void> {
    this.replace(await requestPersistence(storage))
  }
}

/** What the settings panel says. */
export function persistenceText(persistence: Persistence): string {
  switch (persistence) {
    case 'unknown':
      return "Asking the browser to keep Parley's storage…"
    case 'persistent':
      return 'Storage is persistent'
    case 'best-effort':
      return "The browser may clear Parley's storage under pressure"
  }
}
