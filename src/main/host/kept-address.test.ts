import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { BrowserHost } from './browser-host'
import { keptAddressFileName, readKeptAddress, startAtKeptAddress, type StartHost } from './kept-address'

const dirs: string[] = []
const children: ChildProcess[] = []
const servers: Server[] = []

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-address-'))
  dirs.push(dir)
  return dir
}

const keptFile = (dir: string): string => join(dir, keptAddressFileName)
const token = (letter: string): string => letter.repeat(24)

/** A host starter that listens nowhere: port 0 becomes `freePort`, a port in `busy` fails as a taken port does. */
function fakeStart(options: { freePort?: number; busy?: number[]; fail?: Error } = {}): StartHost & { calls: [number, string | undefined][] } {
  const calls: [number, string | undefined][] = []
  const start = (port: number, asked: string | undefined): Promise<BrowserHost> => {
    calls.push([port, asked])
    if (options.fail) return Promise.reject(options.fail)
    if (options.busy?.includes(port)) return Promise.reject(Object.assign(new Error(`listen EADDRINUSE: 127.0.0.1:${port}`), { code: 'EADDRINUSE' }))
    const actual = port === 0 ? (options.freePort ?? 41_000) : port
    const used = asked ?? token('r')
    const origin = `http://127.0.0.1:${actual}`
    return Promise.resolve({ url: `${origin}/#token=${used}`, origin, port: actual, token: used, close: () => Promise.resolve() })
  }
  return Object.assign(start, { calls })
}

const unasked = { port: undefined, token: undefined }

describe("browser mode's kept address", () => {
  it('a first start takes a free port and a new token and keeps both, readable by this user only; the next start asks for them', async () => {
    const dir = newDir()
    const lines: string[] = []
    const first = fakeStart({ freePort: 41_234 })
    const host = await startAtKeptAddress(dir, unasked, first, (line) => lines.push(line))
    expect(first.calls).toEqual([[0, undefined]])
    expect(readKeptAddress(dir)).toEqual({ port: 41_234, token: host.token })
    if (process.platform !== 'win32') expect(statSync(keptFile(dir)).mode & 0o777).toBe(0o600)
    const again = fakeStart({ freePort: 50_000 })
    const second = await startAtKeptAddress(dir, unasked, again, (line) => lines.push(line))
    expect(again.calls).toEqual([[41_234, host.token]])
    expect(second.url).toBe(host.url)
    expect(lines).toEqual([])
  })

  it('a kept port another program holds gives way to a free one, said once, and the new one is kept', async () => {
    const dir = newDir()
    writeFileSync(keptFile(dir), JSON.stringify({ port: 41_234, token: token('k') }))
    const lines: string[] = []
    const start = fakeStart({ busy: [41_234], freePort: 42_000 })
    const host = await startAtKeptAddress(dir, unasked, start, (line) => lines.push(line))
    expect(start.calls).toEqual([
      [41_234, token('k')],
      [0, token('k')]
    ])
    expect(host.url).toBe(`http://127.0.0.1:42000/#token=${token('k')}`)
    expect(lines).toEqual(['Parley (browser mode): port 41234, its address last time, is in use by another program; it takes a free one.'])
    expect(readKeptAddress(dir)).toEqual({ port: 42_000, token: token('k') })
  })

  it('a port or token asked for is used this time only: the kept ones stay for the starts that ask for none', async () => {
    const dir = newDir()
    const kept = { port: 41_234, token: token('k') }
    writeFileSync(keptFile(dir), JSON.stringify(kept))
    const asked = fakeStart({ freePort: 43_000 })
    await startAtKeptAddress(dir, { port: 5000, token: token('a') }, asked, () => {})
    await startAtKeptAddress(dir, { port: 0, token: undefined }, asked, () => {})
    await startAtKeptAddress(dir, { port: undefined, token: token('a') }, asked, () => {})
    expect(asked.calls).toEqual([
      [5000, token('a')],
      [0, token('k')],
      [41_234, token('a')]
    ])
    expect(readKeptAddress(dir)).toEqual(kept)
  })

  it('a kept file that is not one (garbage, a bad port or token) counts as none and is written again', async () => {
    for (const junk of ['garbage', '{"port": 70000}', '{"port": 4000, "token": "short"}', '[]', '']) {
      const dir = newDir()
      writeFileSync(keptFile(dir), junk)
      expect(readKeptAddress(dir)).toEqual({})
      const start = fakeStart({ freePort: 44_000 })
      const host = await startAtKeptAddress(dir, unasked, start, () => {})
      expect(start.calls).toEqual([[0, undefined]])
      expect(readKeptAddress(dir)).toEqual({ port: 44_000, token: host.token })
    }
  })

  it('any other failure to listen is the start failing; a folder it cannot write to costs only the next start its address', async () => {
    const dir = newDir()
    writeFileSync(keptFile(dir), JSON.stringify({ port: 41_234 }))
    await expect(startAtKeptAddress(dir, unasked, fakeStart({ fail: new Error('EMFILE') }), () => {})).rejects.toThrow('EMFILE')
    if (process.platform === 'win32' || process.getuid?.() === 0) return // root writes anywhere
    const locked = newDir()
    chmodSync(locked, 0o500)
    const lines: string[] = []
    const host = await startAtKeptAddress(locked, unasked, fakeStart(), (line) => lines.push(line))
    chmodSync(locked, 0o700)
    expect(host.port).toBe(41_000)
    expect(lines.join('\n')).toContain('could not keep its address for the next start')
  })
})

describe('browser mode started again on its data folder', () => {
  const entry = fileURLToPath(new URL('../web.ts', import.meta.url))

  /** Starts `web.ts` on `dir` with no port or token asked for; resolves with the address it prints and its stderr. */
  async function startWeb(dir: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: dir, PARLEY_PROVIDER_URL: 'http://127.0.0.1:9/v1' }
    delete env['PARLEY_PORT']
    delete env['PARLEY_TOKEN']
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`web.ts exited (${String(code)}): ${stderr}`)))
      if (child.stdout) createInterface({ input: child.stdout }).once('line', (line) => resolve(line.replace('Parley (browser mode) is at ', '')))
    })
    return { child, url, stderr: () => stderr }
  }

  async function kill(child: ChildProcess): Promise<void> {
    child.removeAllListeners('exit')
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  it('after a crash it is at the same address, so an open page reconnects; a port taken meanwhile gives a new one, kept', async () => {
    const dir = newDir()
    const first = await startWeb(dir)
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/)
    await kill(first.child)
    const second = await startWeb(dir)
    expect(second.url).toBe(first.url)
    await kill(second.child)
    // Another program listens on the kept port while Parley is down.
    const port = Number(new URL(first.url).port)
    const squatter = createServer()
    servers.push(squatter)
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve))
    const third = await startWeb(dir)
    expect(new URL(third.url).port).not.toBe(String(port))
    expect(new URL(third.url).hash).toBe(new URL(first.url).hash)
    expect(third.stderr()).toContain(`port ${port}, its address last time, is in use by another program`)
    expect(JSON.parse(readFileSync(keptFile(dir), 'utf8'))).toMatchObject({ port: Number(new URL(third.url).port) })
  }, 60_000)
})
