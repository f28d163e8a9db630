import { isRendererUrl } from './sender-check'

/**
 * Whether a page may have a web permission (camera, microphone, location, notifications, and so on). Parley needs
 * none, so all are refused, for our own pages too: main raises the notifications, not the page. The one exception
 * is writing to the clipboard from our renderer ("Copy" on an answer), which Chromium only allows after a click and
 * which reads nothing.
 */
export function mayGrantPermission(permission: string, requestingUrl: string, rendererUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isRendererUrl(requestingUrl, rendererUrl)
}
