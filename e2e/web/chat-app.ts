import { mkdtempSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, type Page, type TestInfo } from '@playwright/test'
import {
  lastUserText,
  startScriptedServer,
  type RecordedRequest,
  type ScriptedReply,
  type ScriptedServer
} from '../fixtures/scripted-server'
import { startWebApp, stopWebApp } from './web-app'

const DOCS = fileURLToPath(new URL('../../docs', import.meta.url))

/** The scripted model server, with the chat model and the title model told apart. */
export interface ScriptedModels {
  readonly server: ScriptedServer
  /** How the chat model answers each prompt; the title model always answers with a short title. */
  answer(reply: (prompt: string) => ScriptedReply): void
  /** What the title model answers (default: "A test chat"). */
  title(text: string): void
  waitForGate(name: string): Promise<unknown>
  release(name: string): void
  /** The chat requests the server received, in order (title requests left out). */
  chatRequests(): { messages: { role: string; content: string }[] }[]
}

export interface StoredMessage {
  id: string
  role: string
  runId: string
  sessionId: string
}

export interface ChatPage {
  readonly page: Page
  /** The address with its token, as `npm run web` prints it. */
  readonly url: string
  /** The browser-mode server's data folder (settings, secrets, journal). */
  readonly dataDir: string
  open(): Promise<void>
  send(prompt: string): Promise<void>
  /** Waits until `count` assistant messages are finished. */
  waitForAnswers(count: number): Promise<void>
  /** Every message row in IndexedDB. */
  storedMessages(): Promise<StoredMessage[]>
  /** Every table of the page's IndexedDB, whole. */
  storedTables(): Promise<Record<string, unknown[]>>
  /** Every text frame the page received over its WebSocket. */
  readonly framesReceived: readonly string[]
  /** The RunCompletes the page received over its WebSocket for this runId. */
  runCompletes(runId: string): unknown[]
  screenshot(testInfo: TestInfo, name: string): Promise<void>
}

const chatModel = 'large'
const titleModel = 'small'

const isTitleRequest = (request: RecordedRequest): boolean =>
  typeof request.body === 'object' && request.body !== null && (request.body as { model?: unknown }).model === titleModel

function scriptedModels(server: ScriptedServer): ScriptedModels {
  let chatReply: (prompt: string) => ScriptedReply = () => ({ text: 'ok' })
  let titleText = 'A test chat'
  server.setDefault((request) => (isTitleRequest(request) ? { text: titleText } : chatReply(lastUserText(request))))
  return {
    server,
    answer(reply) {
      chatReply = reply
    },
    title(text) {
      titleText = text
    },
    waitForGate: (name) => server.waitForGate(name, 15_000),
    release: (name) => server.release(name),
    chatRequests: () =>
      server.requests
        .filter((r) => r.path.endsWith('/chat/completions') && !isTitleRequest(r))
        .map((r) => r.body as { messages: { role: string; content: string }[] })
  }
}

/** Files written into the fresh data folder before the browser-mode server starts, by name: a settings file, say. */
export type DataDirFiles = Readonly<Record<string, string>>

/**
 * Each test gets its own scripted model server, its own browser-mode server (a fresh data folder, pointed at the
 * scripted server) and so its own origin, hence its own IndexedDB. `test.use({ dataDirFiles })` puts files in the
 * data folder before the server starts.
 */
export const test = base.extend<{ scripted: ScriptedModels; chat: ChatPage; dataDirFiles: DataDirFiles }>({
  dataDirFiles: [{}, { option: true }],
  scripted: async ({}, use) => {
    const server = await startScriptedServer()
    try {
      await use(scriptedModels(server))
    } finally {
      await server.close()
    }
  },
  chat: async ({ page, scripted, dataDirFiles }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'))
    for (const [name, text] of Object.entries(dataDirFiles)) writeFileSync(join(dataDir, name), text)
    const app = await startWebApp({
      PARLEY_DATA_DIR: dataDir,
      PARLEY_PROVIDER_URL: scripted.server.url,
      PARLEY_MODEL: chatModel,
      PARLEY_SMALL_MODEL: titleModel
    })
    const completes: { runId: string }[] = []
    const framesReceived: string[] = []
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string') return
        framesReceived.push(payload)
        try {
          const frame = JSON.parse(payload) as { event?: { type?: string; complete?: { runId: string } } }
          if (frame.event?.type === 'run.complete' && frame.event.complete) completes.push(frame.event.complete)
        } catch {
          // not JSON: not ours to judge here
        }
      })
    })
    const chat: ChatPage = {
      page,
      url: app.url,
      dataDir,
      framesReceived,
      async open() {
        await page.goto(app.url)
        await expect(page.getByTestId('composer-input')).toBeVisible()
      },
      async send(prompt) {
        const input = page.getByTestId('composer-input')
        await input.fill(prompt)
        await input.press('Enter')
        await expect(input).toHaveValue('')
      },
      async waitForAnswers(count) {
        await expect(page.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]')).toHaveCount(
          count,
          { timeout: 15_000 }
        )
      },
      storedTables: () =>
        page.evaluate(
          () =>
            new Promise<Record<string, unknown[]>>((resolve, reject) => {
              // This runs in the page; the Node side's types have no DOM, so the little of IndexedDB used is typed here.
              interface Request<T> {
                result: T
                error: unknown
                onsuccess: (() => void) | null
                onerror: (() => void) | null
              }
              interface Database {
                objectStoreNames: ArrayLike<string>
                transaction(stores: string[], mode: 'readonly'): { objectStore(name: string): { getAll(): Request<unknown[]> } }
                close(): void
              }
              const idb = (globalThis as unknown as { indexedDB: { open(name: string): Request<Database> } }).indexedDB
              const open = idb.open('parley')
              open.onerror = () => reject(open.error)
              open.onsuccess = () => {
                const db = open.result
                const names = Array.from(db.objectStoreNames)
                const transaction = db.transaction(names, 'readonly')
                const tables: Record<string, unknown[]> = {}
                let left = names.length
                for (const name of names) {
                  const read = transaction.objectStore(name).getAll()
                  read.onerror = () => reject(read.error)
                  read.onsuccess = () => {
                    tables[name] = read.result
                    if (--left === 0) {
                      db.close()
                      resolve(tables)
                    }
                  }
                }
              }
            })
        ),
      async storedMessages() {
        return ((await chat.storedTables())['messages'] ?? []) as StoredMessage[]
      },
      runCompletes: (runId) => completes.filter((c) => c.runId === runId),
      async screenshot(testInfo, name) {
        const path = testInfo.outputPath(`${name}.png`)
        await page.screenshot({ path })
        await testInfo.attach(name, { path, contentType: 'image/png' })
        // `PARLEY_SCREENSHOT=1 npm run test:e2e` refreshes the README's picture.
        if (process.env['PARLEY_SCREENSHOT'] === '1') {
          mkdirSync(DOCS, { recursive: true })
          copyFileSync(path, join(DOCS, `${name}.png`))
        }
      }
    }
    try {
      await use(chat)
    } finally {
      await stopWebApp(app.server)
    }
  }
})

export { expect }
