import { createServer } from 'node:http'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createStaticHandler } from './host/static-files'

// Browser mode: serves the built renderer on loopback. The core and the WebSocket bridge join it later.

/** `--port N`, else PARLEY_PORT, else 0 (the system picks a free port). */
function portFromCommandLine(): number {
  const { values } = parseArgs({ options: { port: { type: 'string' } } })
  const raw = values.port ?? process.env['PARLEY_PORT'] ?? '0'
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port > 65_535) {
    throw new Error(`invalid port "${raw}": use a number from 0 to 65535 (0 picks a free port)`)
  }
  return port
}

function main(): void {
  const port = portFromCommandLine()
  const serveStatic = createStaticHandler(join(import.meta.dirname, '../renderer'))

  const server = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      console.error('Parley (browser mode): a request failed', error)
      if (!response.headersSent) response.writeHead(500).end()
      else response.destroy()
    })
  })
  server.on('error', (error) => {
    console.error(`Parley (browser mode) could not start: ${error.message}`)
    process.exitCode = 1
  })
  server.listen(port, '127.0.0.1', () => {
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address')
    console.log(`Parley (browser mode) is at http://127.0.0.1:${address.port}/`)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close()
      server.closeAllConnections()
    })
  }
}

try {
  main()
} catch (error) {
  console.error(`Parley (browser mode): ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
}
