import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect as connectTcp, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { bridgeProtocols } from '../../shared'
import { startEchoCore, type EchoCore } from '../core/service/echo-core'
import { startBrowserHost, type BrowserHost } from './browser-host'

let echo: EchoCore
let rendererDir: string
let host: BrowserHost | undefined

beforeEach(async () => {
  echo = await startEchoCore()
  rendererDir = mkdtempSync(join(tmpdir(), 'parley-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<h1>Parley</h1>')
})
afterEach(async () => {
  await host?.close()
  host = undefined
  await echo.close()
  rmSync(rendererDir, { recursive: true, force: true })
})

function connect(url: string, token: string, origin: string): Promise<WebSocket> {
  const socket = new WebSocket(url, bridgeProtocols(token), { origin })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

describe('the browser host', () => {
  it('serves the renderer and the bridge on one loopback port, and gives the address with the token in the fragment', async () => {
    host = await startBrowserHost({ service: echo.core.service, rendererDir })
    expect(host.token).toMatch(/^[0-9a-f]{64}$/)
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`)

    const page = await fetch(host.url)
    expect(page.status).toBe(200)
    expect(await page.text()).toBe('<h1>Parley</h1>')

    const socket = await connect(`ws://127.0.0.1:${host.port}/parley`, host.token, host.origin)
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))))
    socket.send(JSON.stringify({ kind: 'call', id: 1, method: 'status', args: [] }))
    expect(JSON.parse(await reply)).toMatchObject({ kind: 'result', id: 1, result: { lastSeq: 0 } })

    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    await host.close()
    await closed
    await expect(fetch(`${host.origin}/`)).rejects.toThrow()
    host = undefined
  })

  it('takes a fixed token and port, and refuses a port that is taken', async () => {
    const token = 'fixed-token-for-tests'
    host = await startBrowserHost({ service: echo.core.service, rendererDir, token })
    expect(host.url.endsWith(`#token=${token}`)).toBe(true)
    await expect(connect(`ws://127.0.0.1:${host.port}/parley`, token, host.origin)).resolves.toBeInstanceOf(WebSocket)
    await expect(startBrowserHost({ service: echo.core.service, rendererDir, port: host.port })).rejects.toThrow(/EADDRINUSE/)
  })

  it('sends CSP with frame-ancestors none, no Referer, no framing, on every response (issue 13, finding 8)', async () => {
    host = await startBrowserHost({ service: echo.core.service, rendererDir })
    for (const path of ['/', '/missing.js']) {
      const response = await fetch(`${host.origin}${path}`)
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain(`ws://127.0.0.1:${host.port}`)
      expect(csp).not.toMatch(/ws:\/\/127\.0\.0\.1:\*/)
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
    }
  })

  it('answers only to its own Host names: a rebinding name gets 421 and no file (issue 13, finding 8)', async () => {
    host = await startBrowserHost({ service: echo.core.service, rendererDir })
    const port = host.port
    const fetchAs = (hostHeader: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const call = request({ host: '127.0.0.1', port, path: '/', headers: { host: hostHeader } }, (response) => {
          let body = ''
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
        })
        call.on('error', reject)
        call.end()
      })
    expect(await fetchAs(`127.0.0.1:${port}`)).toMatchObject({ status: 200, body: '<h1>Parley</h1>' })
    expect(await fetchAs(`localhost:${port}`)).toMatchObject({ status: 200 })
    for (const hostHeader of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, 'evil.example']) {
      const answer = await fetchAs(hostHeader)
      expect(answer.status, hostHeader).toBe(421)
      expect(answer.body).not.toContain('Parley</h1>')
    }
  })

  it('closes connections that never send their headers, so 300 half-open sockets do not lock the page out (issue 13, finding 9)', async () => {
    host = await startBrowserHost({ service: echo.core.service, rendererDir, headersTimeoutMs: 300 })
    const port = host.port
    const idle = await Promise.all(
      Array.from({ length: 300 }, () => new Promise<Socket>((resolve, reject) => {
        const socket = connectTcp(port, '127.0.0.1', () => resolve(socket))
        socket.on('error', reject)
      }))
    )
    // Half of them send half a request and stop.
    for (const socket of idle.slice(0, 150)) socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1')
    const closed = await Promise.all(idle.map((socket) => new Promise<boolean>((resolve) => {
      if (socket.destroyed) resolve(true)
      socket.once('close', () => resolve(true))
    })))
    expect(closed.every(Boolean)).toBe(true)
    const page = await fetch(`${host.origin}/`)
    expect(page.status).toBe(200)

    // The page's own socket, quiet for longer than that, stays open.
    const socket = await connect(`ws://127.0.0.1:${port}/parley`, host.token, host.origin)
    await new Promise((resolve) => setTimeout(resolve, 900))
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))))
    socket.send(JSON.stringify({ kind: 'call', id: 1, method: 'status', args: [] }))
    expect(JSON.parse(await reply)).toMatchObject({ kind: 'result', id: 1 })
    socket.close()
  })
})
