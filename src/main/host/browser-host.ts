import { createServer } from 'node:http'
import type { ParleyService } from '../core/service/parley-service'
import { newToken } from './admission'
import { hostAllowed, securityHeaders } from './page-security'
import { createStaticHandler } from './static-files'
import { attachWsHost } from './ws-host'

export interface BrowserHostOptions {
  service: ParleyService
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0, the default, lets the system pick a free port. */
  port?: number
  /** A fixed token (tests); a fresh random one otherwise. */
  token?: string
  /** Where a failed static request is reported. */
  reportError?: (message: string, error: unknown) => void
  /** How long a connection may take to send its request's headers, and how often that is checked (tests shorten it). */
  headersTimeoutMs?: number
}

/**
 * A connection that has not sent its headers after this long is closed: half-open sockets (a careless or hostile
 * neighbour) must not hold file descriptors until the real page can't connect.
 */
const defaultHeadersTimeoutMs = 5_000
/** More connections than a few windows and command lines could want: past it, new ones are refused at once. */
export const maxConnections = 256

export interface BrowserHost {
  /** The address to open: the token rides in the fragment, which the browser never sends to a server. */
  readonly url: string
  /** http://127.0.0.1:PORT */
  readonly origin: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

/** Browser mode's one server on 127.0.0.1: the built renderer over HTTP and the bridge over WebSocket at /parley. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken()
  const reportError = options.reportError ?? ((message, error) => console.error(message, error))
  const serveStatic = createStaticHandler(options.rendererDir)
  const headersTimeoutMs = options.headersTimeoutMs ?? defaultHeadersTimeoutMs
  // Node checks for late headers on this interval (30 s by default, which let half-open sockets pile up for that long).
  const server = createServer({ connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs) }, (request, response) => {
    const port = request.socket.localPort
    if (!hostAllowed(request.headers)) {
      // DNS rebinding: a page on another name that resolves here may not read Parley's files.
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Parley answers only to 127.0.0.1 and localhost.\n')
      return
    }
    for (const [name, value] of Object.entries(securityHeaders(port ?? 0))) response.setHeader(name, value)
    serveStatic(request, response).catch((error: unknown) => {
      reportError('Parley (browser mode): a request failed', error)
      if (!response.headersSent) response.writeHead(500).end()
      else response.destroy()
    })
  })
  server.headersTimeout = headersTimeoutMs
  server.requestTimeout = Math.max(headersTimeoutMs, 30_000)
  server.maxConnections = maxConnections
  // An idle keep-alive connection goes after a few seconds; a WebSocket, once upgraded, is no longer timed here.
  server.keepAliveTimeout = Math.min(headersTimeoutMs, 5_000)
  // A connection that sends nothing is not timed by Node's header timeout: it is closed after the same time idle.
  server.on('connection', (socket) => {
    socket.setTimeout(headersTimeoutMs, () => socket.destroy())
  })
  // A WebSocket may sit quiet for hours between events: once upgraded, its socket is no longer timed. (Registered
  // before the bridge's own upgrade listener, so it runs first.)
  server.on('upgrade', (_request, socket) => {
    if ('setTimeout' in socket && typeof socket.setTimeout === 'function') socket.setTimeout(0)
  })
  const wsHost = attachWsHost({ server, service: options.service, token })

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('the server has no TCP address'))
      else resolve(address.port)
    })
  }).catch(async (error: unknown) => {
    await wsHost.close()
    throw error
  })

  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      await wsHost.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
