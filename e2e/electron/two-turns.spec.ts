import type { RaisedNotification } from '../../src/main/desktop/run-notifications'
import { sendPrompt, transcript, twoTurns, waitForAnswers } from '../fixtures/chat-window'
import { chatModel, scriptedModelsFixture, titleModel, type ScriptedModels } from '../fixtures/scripted-models'
import { expect, test as desktop } from './electron-app'

// The two-turn scenario (e2e/web/chat.spec.ts's first test) against the real desktop app, with the window hidden
// while the runs complete, so each completed run raises a notification. Main records what it raised on
// globalThis.__parleyNotifications (src/main/desktop/notifier.ts), which app.evaluate reads in main.

const test = desktop.extend<{ scripted: ScriptedModels }>({
  scripted: scriptedModelsFixture,
  appEnv: async ({ scripted }, use) => {
    await use({ PARLEY_PROVIDER_URL: scripted.server.url, PARLEY_MODEL: chatModel, PARLEY_SMALL_MODEL: titleModel })
  }
})

test('two turns in the desktop app: one notification for each run that completes while the window is hidden', async ({
  electronApp,
  appWindow,
  scripted
}) => {
  const raised = (): Promise<RaisedNotification[]> =>
    electronApp.evaluate(
      () => (globalThis as { __parleyNotifications?: RaisedNotification[] }).__parleyNotifications ?? []
    )
  scripted.title('Two turns')
  scripted.answer((prompt) =>
    prompt === 'main' ? { text: 'The first answer.', gate: 'main' } : { text: 'The second answer.' }
  )
  await expect(appWindow.getByTestId('composer-input')).toBeVisible()

  // 1. `main` is sent and held at the gate; `follow`, sent while the session is busy, is queued.
  await sendPrompt(appWindow, 'main')
  await scripted.waitForGate('main')
  await expect(appWindow.getByTestId('stop-button')).toBeVisible()
  await sendPrompt(appWindow, 'follow')
  await expect(appWindow.getByTestId('queued-chip')).toHaveCount(1)
  expect(await raised()).toEqual([])

  // 2. The person looks away: the window goes to the tray, and both runs complete out of sight.
  await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.hide())
  scripted.release('main')
  await expect.poll(async () => (await raised()).length, { timeout: 15_000 }).toBe(2)

  // 3. One notification per run: the chat's title, the start of each answer, both for the same chat.
  const notifications = await raised()
  expect(notifications.map(({ title, body, isError }) => ({ title, body, isError }))).toEqual([
    { title: 'Two turns', body: 'The first answer.', isError: false },
    { title: 'Two turns', body: 'The second answer.', isError: false }
  ])
  expect(new Set(notifications.map((n) => n.runId)).size).toBe(2)
  expect(new Set(notifications.map((n) => n.sessionId)).size).toBe(1)

  // 4. Back from the tray: the hidden window kept applying events, so the chat is whole.
  await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.show())
  await waitForAnswers(appWindow, 2)
  expect(await transcript(appWindow)).toEqual(twoTurns)
  expect(await raised()).toHaveLength(2)
})
