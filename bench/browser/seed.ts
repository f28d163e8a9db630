import { WebSocket } from 'ws'
import type { ChatArchive, ImportResult } from '../../src/shared'
import { createWsClient } from '../../src/renderer/src/bridge/ws-client'
import { importArchive } from '../../src/renderer/src/transfer/chat-import'
import type { BrowserMode } from './browser-mode'

/**
 * Seeds browser mode through the app's own path: a Node-side bridge client sends the archive to main's `importChats`
 * in the window's own batches (≤ 1 MB of JSON each, a larger chat alone), and main publishes it as it publishes
 * anything; the page, opened afterwards, replays or rebuilds its IndexedDB from main.
 */
export async function seedThroughImport(app: Pick<BrowserMode, 'bridgeUrl' | 'token'>, archive: ChatArchive): Promise<ImportResult> {
  const api = createWsClient({ url: app.bridgeUrl, token: app.token, WebSocketImpl: WebSocket })
  try {
    return await importArchive(api, archive)
  } finally {
    api.close()
  }
}
