import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Maps a request URL's path to a file path inside `root`, or returns null when the path is malformed or would
 * leave `root` (`..`, encoded slashes, NUL bytes). `/` maps to `index.html`.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const base = resolve(root)
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^[/\\]+/, '')
  const filePath = resolve(base, relative)
  return filePath.startsWith(base + sep) ? filePath : null
}

/** Whether `filePath`, with every symlink followed, is still inside `root` (with its symlinks followed too). */
async function insideRealRoot(root: string, filePath: string): Promise<boolean> {
  try {
    const [base, real] = await Promise.all([realpath(root), realpath(filePath)])
    return real.startsWith(base + sep)
  } catch {
    return false
  }
}

/**
 * How long the browser may keep a file. The build names everything under `assets/` by its content's hash, so those
 * never change under their name and are kept for a year without asking again; the page (`index.html`) is asked for
 * each time, and answered 304 when unchanged. Kept files keep their compiled code: Chromium stores V8's code cache
 * beside what its HTTP cache holds, and a page load that reuses it skips compiling the scripts (issue 11: no long
 * task at load). With `no-cache` and no validator, as before, every load fetched and compiled the scripts anew.
 */
export function cacheControlFor(urlPath: string): string {
  return urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
}

/** A validator for a file as it is on disk: its size and modification time. */
export function entityTag(size: number, mtimeMs: number): string {
  return `"${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`
}

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>

/** Serves the files under `root` (the built renderer) for GET and HEAD; everything else gets 404 or 405. */
export function createStaticHandler(root: string): StaticHandler {
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' })
      return
    }
    const pathname = requestPathname(request)
    const filePath = pathname === null ? null : resolveStaticPath(root, pathname)
    if (filePath === null) {
      sendText(response, 400, 'Bad Request')
      return
    }
    const file = await stat(filePath).catch(() => null)
    // A symlink inside the folder must not serve a file outside it: the real path must be inside the real folder.
    if (file?.isFile() && !(await insideRealRoot(root, filePath))) {
      sendText(response, 404, 'Not Found')
      return
    }
    if (!file?.isFile()) {
      sendText(response, 404, 'Not Found')
      return
    }
    const etag = entityTag(file.size, file.mtimeMs)
    const caching = { 'Cache-Control': cacheControlFor(pathname ?? '/'), ETag: etag }
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ...caching, 'X-Content-Type-Options': 'nosniff' })
      response.end()
      return
    }
    response.writeHead(200, {
      'Content-Type': contentTypeFor(filePath),
      'Content-Length': file.size,
      ...caching,
      'X-Content-Type-Options': 'nosniff'
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    await pipeline(createReadStream(filePath), response)
  }
}

function requestPathname(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1').pathname
  } catch {
    return null
  }
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff'
  })
  response.end(text)
}
