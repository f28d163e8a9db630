/**
 * Why a write to IndexedDB failed, in the words the storage banner needs. Browsers and Dexie report the same
 * problem in several shapes: a DOMException named `QuotaExceededError`, a Dexie error of that name, or an
 * `AbortError` (the transaction was aborted) whose `inner` is the real cause; a BulkError lists its `failures`.
 * So the cause chain is walked, and the first name recognised wins.
 */
export type StorageFailure =
  /** The disk (or the browser's quota for this site) is full. */
  | 'full'
  /** The database was closed under us: another window upgraded or deleted it, or the browser closed it. */
  | 'closed'
  /** The browser's storage can't be used at all: private mode, a damaged profile, a missing API. */
  | 'unavailable'
  | 'other'

const kindsByName: Readonly<Record<string, StorageFailure>> = {
  QuotaExceededError: 'full',
  DatabaseClosedError: 'closed',
  VersionChangeError: 'closed',
  InvalidStateError: 'unavailable',
  UnknownError: 'unavailable',
  MissingAPIError: 'unavailable',
  OpenFailedError: 'unavailable'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export function storageFailureOf(error: unknown): StorageFailure {
  const seen = new Set<unknown>()
  const queue: unknown[] = [error]
  let fallback: StorageFailure = 'other'
  while (queue.length > 0) {
    const current = queue.shift()
    if (!isRecord(current) || seen.has(current)) continue
    seen.add(current)
    const name = typeof current['name'] === 'string' ? current['name'] : ''
    const kind = Object.hasOwn(kindsByName, name) ? kindsByName[name] : undefined
    // A full disk or a closed database is named exactly; "unavailable" names are also what browsers call an
    // aborted transaction, so a cause deeper down may still say more.
    if (kind === 'full' || kind === 'closed') return kind
    if (kind === 'unavailable') fallback = kind
    queue.push(current['inner'], current['cause'])
    const failures = current['failures']
    if (Array.isArray(failures)) queue.push(...(failures as unknown[]))
  }
  return fallback
}
