/** What main knows about the frame that sent an IPC message. */
export interface SenderFacts {
  /** The frame's current URL ('' when the frame is gone). */
  url: string
  isMainFrame: boolean
  /** The webContents the frame belongs to. */
  webContentsId: number
}

/** Who may use the bridge: the main frame of one of our windows, showing our renderer. */
export interface TrustedRenderer {
  /** file:///…/out/renderer/index.html, or the dev server's http://localhost:5173/ under `npm run dev`. */
  rendererUrl: string
  isOurWindow(webContentsId: number): boolean
}

/**
 * Whether an IPC message may be served. A packaged renderer must be exactly our index.html (any query or fragment);
 * under the dev server, any page of its origin. Subframes, other windows, other files and other sites are refused,
 * so a page that somehow got our preload (or a frame inside ours) cannot drive main.
 */
export function isTrustedSender(sender: SenderFacts, trusted: TrustedRenderer): boolean {
  return (
    sender.isMainFrame && trusted.isOurWindow(sender.webContentsId) && isRendererUrl(sender.url, trusted.rendererUrl)
  )
}

/** Whether `url` shows our renderer: the same file (any query or fragment), or a page of the dev server's origin. */
export function isRendererUrl(url: string, rendererUrl: string): boolean {
  const actual = parseUrl(url)
  const expected = parseUrl(rendererUrl)
  if (!actual || !expected) return false
  if (expected.protocol === 'file:') {
    return actual.protocol === 'file:' && actual.host === expected.host && actual.pathname === expected.pathname
  }
  if (expected.protocol !== 'http:' && expected.protocol !== 'https:') return false
  return actual.origin === expected.origin
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}
