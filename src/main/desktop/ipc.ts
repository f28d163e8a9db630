import {
  ipcCallChannel,
  ipcChannelFor,
  readClientFrame,
  type ErrorPayload,
  type StreamFrame
} from '../../shared'
import { BridgeSession } from '../core/service/bridge-session'
import { dispatch, type DispatchResult } from '../core/service/dispatch'
import type { ParleyService } from '../core/service/parley-service'
import { isTrustedSender, type TrustedRenderer } from './sender-check'

// The binding is written against the few members of ipcMain and WebContents it uses, which Electron's objects have,
// so it runs in plain Node under the tests. src/main/index.ts passes the real ones.

/** A window's webContents, as the binding uses it. */
export interface RendererContents {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
  on(event: 'render-process-gone', listener: () => void): unknown
}

/** IpcMainEvent and IpcMainInvokeEvent, as the binding uses them. */
export interface IpcEventLike {
  readonly sender: RendererContents
  /** null once the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
}

export interface ParleyIpcOptions {
  ipcMain: IpcMainLike
  service: ParleyService
  trusted: TrustedRenderer
  /** Where refused senders are reported. */
  warn?: (message: string) => void
  /** Told after each call from a trusted sender has its answer, with the method's name (shell.ts's SessionOpener). */
  onAnswered?: (method: string) => void
}

const streamKinds: StreamFrame['kind'][] = ['subscribe', 'unsubscribe']

const maxPageIdChars = 100

const untrusted: ErrorPayload = {
  code: 'Unauthorized',
  message: 'Only the Parley window may use the bridge.'
}

/**
 * Serves ParleyService to our windows over IPC: `parley:call` through dispatch, and one BridgeSession per page
 * loaded in a window for the event stream. A page is known by the id its preload sends
 * with every stream message: the first message from a new page closes the previous page's session, and a window
 * that is destroyed or whose renderer dies loses its session. Every message must come from a trusted sender
 * (sender-check.ts); others get a typed Unauthorized (calls) or are dropped (stream messages).
 * Returns a function that unbinds everything.
 */
export function bindParleyIpc(options: ParleyIpcOptions): () => void {
  const { ipcMain, service, trusted } = options
  const warn = options.warn ?? ((message: string) => console.warn(`[parley] ${message}`))
  const pages = new Map<number, { pageId: string; session: BridgeSession }>()
  const watched = new Set<number>()

  const isTrusted = (event: IpcEventLike): boolean => {
    const frame = event.senderFrame
    const ok =
      frame !== null &&
      isTrustedSender({ url: frame.url, isMainFrame: frame.parent === null, webContentsId: event.sender.id }, trusted)
    if (!ok) warn(`refused an IPC message from ${frame?.url || 'a frame that is gone'}`)
    return ok
  }

  const drop = (contentsId: number): void => {
    pages.get(contentsId)?.session.close()
    pages.delete(contentsId)
  }

  const sessionFor = (contents: RendererContents, pageId: string): BridgeSession => {
    const current = pages.get(contents.id)
    if (current?.pageId === pageId) return current.session
    current?.session.close()
    const session = new BridgeSession(service, (frame) => {
      if (!contents.isDestroyed()) contents.send(ipcChannelFor(frame.kind), pageId, frame)
    })
    pages.set(contents.id, { pageId, session })
    if (!watched.has(contents.id)) {
      watched.add(contents.id)
      contents.once('destroyed', () => {
        watched.delete(contents.id)
        drop(contents.id)
      })
      contents.on('render-process-gone', () => drop(contents.id))
    }
    return session
  }

  ipcMain.handle(ipcCallChannel, async (event, method, args): Promise<DispatchResult> => {
    if (!isTrusted(event)) return { ok: false, error: untrusted }
    const result = await dispatch(service, method, args)
    if (typeof method === 'string') options.onAnswered?.(method)
    return result
  })

  const streamListeners = streamKinds.map((kind) => {
    const listener = (event: IpcEventLike, pageId: unknown, raw: unknown): void => {
      if (!isTrusted(event)) return
      if (typeof pageId !== 'string' || pageId.length === 0 || pageId.length > maxPageIdChars) {
        warn(`dropped a ${kind} message without a page id`)
        return
      }
      const session = sessionFor(event.sender, pageId)
      const read = readClientFrame(raw)
      if (!read.ok) session.refuse(read)
      else if (read.frame.kind !== kind) {
        session.refuse({
          callId: null,
          error: { code: 'BadRequest', message: `A ${read.frame.kind} frame came on the ${kind} channel.` }
        })
      } else session.receive(read.frame)
    }
    const channel = ipcChannelFor(kind)
    ipcMain.on(channel, listener)
    return { channel, listener }
  })

  return () => {
    ipcMain.removeHandler(ipcCallChannel)
    for (const { channel, listener } of streamListeners) ipcMain.removeListener(channel, listener)
    for (const contentsId of [...pages.keys()]) drop(contentsId)
  }
}
