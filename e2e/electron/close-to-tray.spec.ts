import { expect, test } from './electron-app'

// settings.desktop.closeToTray is on by default: closing the window hides it, and main and the page go on.

test('closing the window hides it to the tray, and the app keeps running', async ({ electronApp, appWindow }) => {
  await expect(appWindow.getByTestId('composer-input')).toBeVisible()
  const state = () =>
    electronApp.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => ({ visible: window.isVisible(), destroyed: window.isDestroyed() }))
    )
  await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
  await expect.poll(state).toEqual([{ visible: false, destroyed: false }])
  // The bridge still answers: main is running, the page is alive behind the tray.
  const lastSeq = await appWindow.evaluate(async () => {
    const parley = (globalThis as { parley?: { status(): Promise<{ lastSeq: number }> } }).parley
    return (await parley?.status())?.lastSeq
  })
  expect(lastSeq).toEqual(expect.any(Number))
})
