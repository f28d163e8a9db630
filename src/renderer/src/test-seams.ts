/**
 * Hooks an end-to-end test may define in the page before the app starts, as `globalThis.__parleyTestHooks`
 * (Playwright's `page.addInitScript`). A test seam, not a feature: the app defines none and reads them only here, so
 * a page without them runs exactly as shipped. A script that could define them could do anything else in the page
 * too, so they open nothing new.
 */
export interface ParleyTestHooks {
  /** Called inside each Dexie commit before anything is written; what it throws fails that commit. */
  beforeCommit?: () => void
  /** True: closed code blocks are shown plain, not highlighted (the benchmark's "highlighting off" baseline). */
  plainCode?: boolean
  /** Where the welcome looks for local servers, by preset id, instead of their usual ports (welcome/local-servers.ts). */
  localServers?: Readonly<Record<string, string>>
  /** Awaited after each page of a history rebuild is written (a test holds the copy half done). */
  afterRebuildPage?: () => Promise<void>
}

export const testHooksKey = '__parleyTestHooks'

/** The hooks the page defined, read afresh on each call so a test may change them while the app runs. */
export function pageTestHooks(scope: object = globalThis): ParleyTestHooks {
  const hooks: unknown = Reflect.get(scope, testHooksKey)
  if (typeof hooks !== 'object' || hooks === null) return {}
  const beforeCommit: unknown = Reflect.get(hooks, 'beforeCommit')
  const afterRebuildPage: unknown = Reflect.get(hooks, 'afterRebuildPage')
  return {
    ...(typeof beforeCommit === 'function' ? { beforeCommit: () => void Reflect.apply(beforeCommit, hooks, []) } : {}),
    ...(typeof afterRebuildPage === 'function'
      ? { afterRebuildPage: async () => void (await Promise.resolve(Reflect.apply(afterRebuildPage, hooks, []) as unknown)) }
      : {}),
    ...(Reflect.get(hooks, 'plainCode') === true ? { plainCode: true } : {}),
    ...localServersOf(Reflect.get(hooks, 'localServers'))
  }
}

/** The welcome's local servers a page gave: its string entries, when it gave an object. */
function localServersOf(value: unknown): Pick<ParleyTestHooks, 'localServers'> {
  if (typeof value !== 'object' || value === null) return {}
  return { localServers: Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) }
}
