import { ParleyError, type ParleyApi } from '../../../shared'

/**
 * The calls that change the history (a prompt, a chat made, renamed or deleted, a branch, an import). While the window
 * still copies its chats back from main its applier is not running yet, so what they changed would show only once
 * the copy is done: they are refused with a sentence instead, and nothing is sent.
 */
export const historyChanges = [
  'enqueue',
  'run',
  'createSession',
  'renameSession',
  'deleteSession',
  'updateSession',
  'switchBranch',
  'deleteMessages',
  'clearQueue',
  'importChats'
] as const satisfies readonly (keyof ParleyApi)[]

const changing: ReadonlySet<string> = new Set<string>(historyChanges)

/** Why a change waits ("… 45% restored …"), or undefined once the copy is done. */
export type RestoreBlock = () => string | undefined

/**
 * `api` with the history's changes refused while `blocked` says why; every other call (reading, stopping an answer,
 * settings, attachments) goes through as it is. The bridge's own members (its connection state) are read from it.
 */
export function guardWhileRestoring<T extends ParleyApi>(api: T, blocked: RestoreBlock): T {
  return new Proxy(api, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      const method = value as (...args: unknown[]) => unknown
      if (typeof key !== 'string' || !changing.has(key)) return method.bind(target)
      return (...args: unknown[]) => {
        const why = blocked()
        if (why !== undefined) return Promise.reject(new ParleyError('Restoring', why))
        return method.apply(target, args)
      }
    }
  })
}
