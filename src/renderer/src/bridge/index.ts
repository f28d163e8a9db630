import { bridgePath, type ParleyApi } from '../../../shared'
import type { BridgeConnection } from './connection'
import { fromDesktop, sayDesktopWindowReady } from './desktop'
import { takeToken } from './token'
import { keptRemovals, memoryRemovalStorage } from './kept-removals'
import { createWsClient } from './ws-client'

export type { BridgeConnection, ConnectionState } from './connection'
export type Bridge = ParleyApi & Partial<BridgeConnection>

export const missingTokenMessage =
  'This page has no Parley token. Open the address that `npm run web` printed (it ends with #token=…).'

/**
 * Chooses the bridge once, at startup: `window.parley` inside the desktop app, otherwise the WebSocket client of
 * browser mode at ws(s)://<this host>/parley. It resolves at once, without waiting for the socket to open: calls wait
 * for it, and `onConnectionChange` says how it goes. It rejects, with a message the UI can show, when browser mode
 * has no token.
 */
export async function connectBridge(): Promise<Bridge> {
  if (window.parley) {
    const desktop = fromDesktop(window.parley)
    sayDesktopWindowReady(desktop)
    return desktop
  }
  const token = takeToken({
    hash: location.hash,
    storage: sessionStorageIfAllowed(),
    clearHash: () => history.replaceState(history.state, '', `${location.pathname}${location.search}`)
  })
  if (!token) throw new Error(missingTokenMessage)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return createWsClient({
    url: `${scheme}://${location.host}${bridgePath}`,
    token,
    keptRemovals: keptRemovals(localStorageIfAllowed() ?? memoryRemovalStorage())
  })
}

/** localStorage, not sessionStorage: a removal made just before the tab closed still reaches main from the next tab. */
function localStorageIfAllowed(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

function sessionStorageIfAllowed(): Storage | undefined {
  try {
    return window.sessionStorage
  } catch {
    return undefined
  }
}
