import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentTypeFor, createStaticHandler, resolveStaticPath } from './static-files'

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

// node:http sends the path exactly as written; fetch() would normalise the `..` segments away first.
function rawGet(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('static files', () => {
  let dir: string
  let root: string
  let server: Server
  let port: number

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-static-'))
    root = join(dir, 'renderer')
    await mkdir(join(root, 'assets'), { recursive: true })
    await writeFile(join(root, 'index.html'), '<h1>Parley</h1>')
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)')
    await writeFile(join(root, 'assets', 'app.css'), 'body{}')
    await writeFile(join(root, 'assets', 'logo.svg'), '<svg/>')
    await writeFile(join(dir, 'secret.txt'), 'do not serve')
    // Symlinks inside the folder: one to a file outside it, one to a folder outside it, one to a file inside it.
    await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'leak.txt'))
    await symlink(dir, join(root, 'outside'))
    await symlink(join(root, 'assets', 'app.js'), join(root, 'assets', 'alias.js'))

    const serve = createStaticHandler(root)
    server = createServer((req, res) => void serve(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await rm(dir, { recursive: true, force: true })
  })

  it('never follows a symlink out of its folder; one that stays inside is served (issue 13, finding 8)', async () => {
    for (const path of ['/assets/leak.txt', '/outside/secret.txt']) {
      const response = await rawGet(port, path)
      expect(response.status, path).toBe(404)
      expect(response.body).not.toContain('do not serve')
    }
    expect(await rawGet(port, '/assets/alias.js')).toMatchObject({ status: 200, body: 'console.log(1)' })
  })

  it('serves index.html at / as HTML', async () => {
    const res = await rawGet(port, '/')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toBe('<h1>Parley</h1>')
  })

  it('sends the content type that matches the extension', async () => {
    expect((await rawGet(port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await rawGet(port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await rawGet(port, '/assets/logo.svg')).headers['content-type']).toBe('image/svg+xml')
    expect(contentTypeFor('x/unknown.bin')).toBe('application/octet-stream')
    expect(contentTypeFor('X/INDEX.HTML')).toBe('text/html; charset=utf-8')
  })

  it('answers HEAD with headers and no body', async () => {
    const res = await rawGet(port, '/assets/app.js', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers['content-length']).toBe(String('console.log(1)'.length))
    expect(res.body).toBe('')
  })

  it('answers 404 for a missing file and for a directory', async () => {
    expect((await rawGet(port, '/nope.js')).status).toBe(404)
    expect((await rawGet(port, '/assets')).status).toBe(404)
  })

  it('lets the browser keep the hashed assets, and asks it to check the page each time (V8 code cache, issue 11)', async () => {
    const asset = await rawGet(port, '/assets/app.js')
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const page = await rawGet(port, '/')
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.headers['etag']).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/)
  })

  it('answers 304 with no body when the browser already has the file, 200 when its copy is another', async () => {
    const first = await rawGet(port, '/')
    const etag = String(first.headers['etag'])
    const again = await rawGet(port, '/', 'GET', { 'If-None-Match': etag })
    expect(again).toMatchObject({ status: 304, body: '' })
    expect(again.headers['etag']).toBe(etag)
    const changed = await rawGet(port, '/', 'GET', { 'If-None-Match': '"other"' })
    expect(changed).toMatchObject({ status: 200, body: '<h1>Parley</h1>' })
  })

  it('answers 405 to methods other than GET and HEAD', async () => {
    const res = await rawGet(port, '/', 'POST')
    expect(res.status).toBe(405)
    expect(res.headers['allow']).toBe('GET, HEAD')
  })

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt'])(
    'refuses the path traversal %s',
    async (path) => {
      const res = await rawGet(port, path)
      expect(res.status).not.toBe(200)
      expect(res.body).not.toContain('do not serve')
    }
  )

  it('resolves only paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'))
    expect(resolveStaticPath(root, '/..%2fsecret.txt')).toBeNull()
    expect(resolveStaticPath(root, '/%2e%2e/secret.txt')).toBeNull()
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull()
    expect(resolveStaticPath(root, '/index.html%00.js')).toBeNull()
    // A path that looks absolute is still read relative to the root.
    expect(resolveStaticPath(root, `/${join(dir, 'secret.txt')}`)?.startsWith(root)).toBe(true)
  })
})
