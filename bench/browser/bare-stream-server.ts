import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openaiStreamFrames, writeBurst } from '../../e2e/fixtures/scripted-server'

/**
 * The bare-DOM baseline's provider: the same tokens in the very frames the scripted server sends the app (OpenAI's
 * chunks, `id`, `model`, `choices: [{ delta, finish_reason, … }]`, then usage and `[DONE]`: about 200 bytes a token),
 * one write each, to a page that appends each token to one bare DOM node. (Until 2026-12-03 it sent a third of the
 * bytes, `{"choices":[{"delta":…}]}` alone, so the baseline parsed less than the app was given.) They go out as the
 * scripted server sends an unpaced stream (`writeBurst`: waiting while the socket's buffer is full): until 2026-12-07
 * this server wrote all 10,000 frames into memory in one go, so the baseline's provider had sent everything while the
 * app's was still waiting for its reader, and the two figures differed by more than their pages.
 */
export interface BareStreamServer {
  /** `http://127.0.0.1:PORT/stream`. */
  readonly url: string
  /** Date.now() when each stream's request arrived, newest last. */
  readonly requestTimes: readonly number[]
  serve(tokens: readonly string[]): void
  close(): Promise<void>
}

export async function startBareStreamServer(): Promise<BareStreamServer> {
  let tokens: readonly string[] = []
  const requestTimes: number[] = []
  const server: Server = createServer((request, response) => {
    requestTimes.push(Date.now())
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' })
    request.resume()
    const life = new AbortController()
    response.once('close', () => life.abort())
    void writeBurst(response, openaiStreamFrames(tokens), life.signal)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/stream`,
    requestTimes,
    serve(next) {
      tokens = next
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
