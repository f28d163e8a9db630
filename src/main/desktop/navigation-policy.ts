import { isRendererUrl } from './sender-check'

/** What a page may do with an address: go there, hand it to the user's browser, or nothing. */
export type NavigationDecision = 'allow' | 'open-external' | 'deny'

/**
 * Decides where our window may go. It only ever shows our renderer: a link to a web page (http or https) opens in
 * the user's browser instead, and every other address (file:, javascript:, data:, custom schemes) is refused, so a
 * link in a model's answer can neither replace the app nor launch another program. A request for a new window
 * never opens one, not even of our own renderer: Parley has one window.
 */
export function decideNavigation(
  url: string,
  rendererUrl: string,
  how: 'navigate' | 'new-window' = 'navigate'
): NavigationDecision {
  if (isRendererUrl(url, rendererUrl)) return how === 'navigate' ? 'allow' : 'deny'
  return isWebAddress(url) ? 'open-external' : 'deny'
}

function isWebAddress(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url)
    return (protocol === 'http:' || protocol === 'https:') && hostname !== ''
  } catch {
    return false
  }
}
