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
    response.writeHead(200, {
      'Content-Type': contentTypeFor(filePath),
      'Content-Length': file.size,
      'Cache-Control': 'no-cache',
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
