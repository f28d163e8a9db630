import {
  callOutcomeSchema,
  createRemoteApi,
  ipcCallChannel,
  ipcChannelFor,
  ParleyError,
  reportToConsole,
  serverFrameSchema,
  toErrorPayload,
  type ParleyApi,
  type RemoteApiOptions,
  type ServerFrame,
  withCallErrors
} from '../shared'

/** The part of Electron's ipcRenderer the bridge uses (so this file runs, and is tested, without Electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  send(channel: string, ...args: unknown[]): void
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

const pushedKinds: ServerFrame['kind'][] = ['event', 'error']

/**
 * ParleyApi over Electron IPC. Calls go through `invoke('parley:call', method, args)`, which answers with dispatch's
 * `{ ok, result } | { ok: false, error }`. Stream frames go one way on their own channels, each tagged with `pageId`:
 * this page load's id, by which main tells a reloaded page from the one before it (and ignores a late message from
 * the old one). Everything main sends is validated here before the page sees it.
 */
export function createIpcApi(ipc: IpcRendererLike, pageId: string, options: RemoteApiOptions = {}): ParleyApi {
  const remote = createRemoteApi(
    {
      async call(method, args) {
        const outcome = callOutcomeSchema.safeParse(await ipc.invoke(ipcCallChannel, method, args))
        if (!outcome.success) throw new ParleyError('Internal', `Main's answer to ${method} is not a call outcome.`)
        if (!outcome.data.ok) throw new ParleyError(outcome.data.error.code, outcome.data.error.message)
        return outcome.data.result
      },
      send(frame) {
        ipc.send(ipcChannelFor(frame.kind), pageId, frame)
      }
    },
    options
  )
  const report = options.reportProblem ?? reportToConsole
  for (const kind of pushedKinds) {
    // The IpcRendererEvent stays here: listeners on the page only ever get the validated frame's contents.
    ipc.on(ipcChannelFor(kind), (_event, forPage, frame) => {
      if (forPage !== pageId) return
      const parsed = serverFrameSchema.safeParse(frame)
      if (parsed.success && parsed.data.kind === kind) remote.receive(parsed.data)
      else report(`main sent a ${kind} message the bridge cannot read`, parsed.error)
    })
  }
  return remote.api
}

/**
 * The API as it may cross contextBridge, which keeps only the message of an Error: a failed call rejects with a
 * plain `{ name: 'ParleyError', code, message }` object instead, which crosses whole. The page's bridge turns it back
 * into a ParleyError (src/renderer/src/bridge/desktop.ts).
 */
export function forContextBridge(api: ParleyApi): ParleyApi {
  return withCallErrors(api, (error) => ({ name: 'ParleyError', ...toErrorPayload(error) }))
}
