// `npm start` on a machine without Electron's binary, end to end: the real npm script against mirrors that refuse,
// and the launcher step against a tiny local mirror serving a fake Electron zip. Everything happens in a temp copy of
// the electron package (PARLEY_ELECTRON_DIR) with a temp download cache, never in the shared node_modules.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { executableInDist } from '../scripts/electron/launch-plan'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const REAL_ELECTRON = join(REPO, 'node_modules', 'electron')
const VERSION = (JSON.parse(readFileSync(join(REAL_ELECTRON, 'package.json'), 'utf-8')) as { version: string }).version
const START_SCRIPT = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf-8')) as { scripts: { start: string } })
  .scripts.start
/** The step `npm start` runs before electron-vite builds anything: the launcher. */
const LAUNCHER_COMMAND = START_SCRIPT.split(' && ')[0] ?? ''
const ZIP_NAME = `electron-v${VERSION}-${process.platform}-${process.arch}.zip`

const STACK_LINE = /^\s+at /m
const ERROR_HEADER = /^\w*Error: /m

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A copy of the electron package without dist/ or path.txt: what a fresh `npm ci` leaves. */
function freshElectronPackage(checksums?: Record<string, string>): string {
  const dir = tempDir('parley-electron-')
  copyFileSync(join(REAL_ELECTRON, 'package.json'), join(dir, 'package.json'))
  if (checksums) writeFileSync(join(dir, 'checksums.json'), JSON.stringify(checksums))
  else copyFileSync(join(REAL_ELECTRON, 'checksums.json'), join(dir, 'checksums.json'))
  return dir
}

/** The caller's environment without anything that steers npm or Electron's download, plus `extra`. */
function launchEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|electron_|force_no_cache$|parley_)/i.test(key)) continue
    env[key] = value
  }
  return { ...env, ...extra }
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
  seconds: number
}

function run(command: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: REPO, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 })
    })
  })
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('npm start without an Electron binary, when the mirror cannot be reached', () => {
  it.each([
    ['at port 9, which fetch blocks', async () => 9, 'blocks as unsafe'],
    ['that refuses the connection', closedPort, 'was refused']
  ])('exits non-zero within a minute with one paragraph and no stack, mirror %s', async (_, port, reason) => {
    const mirror = `http://127.0.0.1:${await port()}/`
    const electronDir = freshElectronPackage()
    const result = await run(
      'npm start',
      launchEnv({ PARLEY_ELECTRON_DIR: electronDir, ELECTRON_MIRROR: mirror, electron_config_cache: tempDir('parley-cache-') })
    )

    expect(result.code).not.toBe(0)
    expect(result.seconds).toBeLessThan(60)
    const paragraph = result.stderr.split('\n').find((line) => line.startsWith('Parley could not download')) ?? ''
    expect(paragraph).toContain(`Electron ${VERSION}`)
    expect(paragraph).toContain(`${mirror}v${VERSION}/${ZIP_NAME}`)
    expect(paragraph).toContain('ELECTRON_MIRROR')
    expect(paragraph).toContain('npm run web')
    expect(paragraph).toContain(reason)
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toMatch(STACK_LINE)
      expect(output).not.toMatch(ERROR_HEADER)
    }
    // The && stopped npm start before electron-vite built or launched anything (npm's "> ..." echo names it).
    const afterEcho = result.stdout.split('\n').filter((line) => !line.startsWith('> '))
    expect(afterEcho.join('\n')).not.toMatch(/vite|building/i)
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false)
  }, 70_000)
})

interface ZipEntry {
  name: string
  data: Buffer
  mode: number
}

/** A stored (uncompressed) zip, enough for the extractor; unix modes ride in the external attributes. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const { name, data, mode } of entries) {
    const nameBytes = Buffer.from(name)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** A local mirror that serves `files` (URL path → bytes) in 64 KB chunks, so the download has progress to show. */
async function mirrorServing(files: Record<string, Buffer>): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = []
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '')
    const body = files[request.url ?? '']
    if (!body) {
      response.writeHead(404, 'Not Found').end()
      return
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length })
    let sent = 0
    const next = (): void => {
      if (sent >= body.length) {
        response.end()
        return
      }
      response.write(body.subarray(sent, sent + 64 * 1024))
      sent += 64 * 1024
      setTimeout(next, 1)
    }
    next()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => server.close())
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, requests }
}

const EXECUTABLE = executableInDist(process.platform) ?? 'electron'
const FAKE_ELECTRON = zip([
  { name: EXECUTABLE, data: Buffer.from('#!/bin/sh\necho fake electron\n'), mode: 0o755 },
  { name: 'version', data: Buffer.from(VERSION), mode: 0o644 },
  // Bulk, so there are megabytes to count.
  { name: 'resources.pak', data: Buffer.alloc(3 * 1024 * 1024, 7), mode: 0o644 }
])
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

describe("npm start's launcher step against a local mirror", () => {
  it(
    'downloads, verifies, unpacks into dist, writes path.txt, shows progress; the next start does nothing',
    async () => {
      const mirror = await mirrorServing({ [`/v${VERSION}/${ZIP_NAME}`]: FAKE_ELECTRON })
      const electronDir = freshElectronPackage({ [ZIP_NAME]: sha256(FAKE_ELECTRON) })
      const env = launchEnv({
        PARLEY_ELECTRON_DIR: electronDir,
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: tempDir('parley-cache-')
      })

      const first = await run(LAUNCHER_COMMAND, env)
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      expect(mirror.requests).toEqual([`/v${VERSION}/${ZIP_NAME}`])
      expect(first.stdout).toContain(`Fetching it once from ${mirror.url}v${VERSION}/${ZIP_NAME}`)
      // stdout is a pipe here, so progress comes as a few log lines, not a redrawn bar.
      const progressLines = first.stdout.split('\n').filter((line) => line.startsWith(`Downloading Electron ${VERSION}`))
      expect(progressLines.length).toBeGreaterThanOrEqual(3)
      expect(progressLines.length).toBeLessThanOrEqual(12)
      expect(first.stdout).toContain('100% (3.0 of 3.0 MB)')
      expect(first.stdout).not.toContain('\r')

      const binary = join(electronDir, 'dist', EXECUTABLE)
      expect(readFileSync(binary, 'utf-8')).toContain('fake electron')
      if (process.platform !== 'win32') expect(statSync(binary).mode & 0o111).not.toBe(0)
      expect(readFileSync(join(electronDir, 'path.txt'), 'utf-8')).toBe(EXECUTABLE)

      const second = await run(LAUNCHER_COMMAND, env)
      expect(second.code).toBe(0)
      expect(second.stdout + second.stderr).toBe('')
      expect(mirror.requests).toHaveLength(1)
    },
    60_000
  )

  it('refuses a zip whose checksum does not match, and installs nothing', async () => {
    const mirror = await mirrorServing({ [`/v${VERSION}/${ZIP_NAME}`]: FAKE_ELECTRON })
    const electronDir = freshElectronPackage({ [ZIP_NAME]: sha256(Buffer.from('something else')) })
    const result = await run(
      LAUNCHER_COMMAND,
      launchEnv({ PARLEY_ELECTRON_DIR: electronDir, ELECTRON_MIRROR: mirror.url, electron_config_cache: tempDir('parley-cache-') })
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`Parley could not download Electron ${VERSION} from ${mirror.url}`)
    expect(result.stderr).toContain('checksum does not match')
    expect(result.stderr).not.toMatch(STACK_LINE)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false)
  }, 60_000)

  it('names the cached zip to delete when a verified download is not a zip', async () => {
    const notAZip = Buffer.from('<html>a captive portal, not Electron</html>')
    const mirror = await mirrorServing({ [`/v${VERSION}/${ZIP_NAME}`]: notAZip })
    const electronDir = freshElectronPackage({ [ZIP_NAME]: sha256(notAZip) })
    const cache = tempDir('parley-cache-')
    const result = await run(
      LAUNCHER_COMMAND,
      launchEnv({ PARLEY_ELECTRON_DIR: electronDir, ELECTRON_MIRROR: mirror.url, electron_config_cache: cache })
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`Parley downloaded Electron ${VERSION} but could not unpack it into`)
    expect(result.stderr).toContain(`Delete ${cache}`)
    expect(result.stderr).not.toMatch(STACK_LINE)
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false)
  }, 60_000)

  it.each([
    ['never answers', 0],
    ['stops sending halfway', FAKE_ELECTRON.length / 2]
  ])('gives up on a mirror that %s once no byte arrived for the stall timeout', async (_, sendBytes) => {
    const server = createServer((_request, response) => {
      if (sendBytes === 0) return
      response.writeHead(200, { 'content-length': FAKE_ELECTRON.length })
      response.write(FAKE_ELECTRON.subarray(0, sendBytes))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => server.closeAllConnections())
    cleanups.push(() => server.close())
    const { port } = server.address() as AddressInfo
    const result = await run(
      LAUNCHER_COMMAND,
      launchEnv({
        PARLEY_ELECTRON_DIR: freshElectronPackage({ [ZIP_NAME]: sha256(FAKE_ELECTRON) }),
        PARLEY_ELECTRON_STALL_SECONDS: '2',
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: tempDir('parley-cache-')
      })
    )
    expect(result.code).toBe(1)
    // The stall, not the server (which never ends its answer), ended the download: the message says so.
    expect(result.stderr).toContain('nothing arrived from 127.0.0.1')
    expect(result.stderr).toContain('no data for 2 s: a timeout')
    expect(result.stderr).not.toMatch(STACK_LINE)
  }, 60_000)

  it('explains an HTTP 404 from a mirror with another layout', async () => {
    const mirror = await mirrorServing({})
    const result = await run(
      LAUNCHER_COMMAND,
      launchEnv({
        PARLEY_ELECTRON_DIR: freshElectronPackage(),
        ELECTRON_MIRROR: mirror.url,
        electron_config_cache: tempDir('parley-cache-')
      })
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the server answered HTTP 404 Not Found')
    expect(result.stderr).not.toMatch(STACK_LINE)
  }, 60_000)
})
