import { tokenPattern } from '../../../shared'

/** Where the token is kept for the tab's lifetime, so a reload still connects after the address bar was cleaned. */
export const tokenStorageKey = 'parley.token'

export interface TokenPlace {
  /** `location.hash`: `#token=…` as `npm run web` printed it. */
  readonly hash: string
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined
  /** Removes the fragment from the address bar without a reload. */
  clearHash(): void
}

/**
 * The browser-mode token: from the fragment of the printed address (then kept in sessionStorage and wiped from the
 * address bar, so it doesn't end up in bookmarks or screenshots), or from sessionStorage after a reload.
 */
export function takeToken(place: TokenPlace): string | undefined {
  const fromHash = new URLSearchParams(place.hash.replace(/^#/, '')).get('token')?.trim()
  if (fromHash && tokenPattern.test(fromHash)) {
    try {
      place.storage?.setItem(tokenStorageKey, fromHash)
      place.clearHash()
    } catch {
      // Storage can be disabled; then the token stays in the address bar, which is where it came from.
    }
    return fromHash
  }
  try {
    const stored = place.storage?.getItem(tokenStorageKey)
    return stored && tokenPattern.test(stored) ? stored : undefined
  } catch {
    return undefined
  }
}
