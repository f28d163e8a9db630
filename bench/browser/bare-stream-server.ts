import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The bare-DOM baseline's provider: the same tokens as OpenAI-style SSE chunks (`data: {"choices":[{"delta":…}]}`),
 * one write per token as the scripted server sends them, to a page that appends each to one bare DOM node.
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
    for (const token of tokens) response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: token } }] })}\n\n`)
    response.end('data: [DONE]\n\n')
    request.resume()
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
