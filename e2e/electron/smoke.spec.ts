import { expect, test } from './electron-app'

test('the desktop app opens a window with the Parley heading and the preload bridge', async ({ appWindow }, testInfo) => {
  await expect(appWindow.getByRole('heading', { level: 1, name: 'Parley' })).toBeVisible()
  // Saved under test-results/ as well, so the list reporter's runs keep the picture too.
  const screenshot = testInfo.outputPath('window.png')
  await appWindow.screenshot({ path: screenshot })
  await testInfo.attach('window', { path: screenshot, contentType: 'image/png' })

  // The sandboxed preload ran and exposed its bridge.
  const bridgeVersion = await appWindow.evaluate(
    () => (globalThis as { parley?: { version?: unknown } }).parley?.version
  )
  expect(bridgeVersion).toBe(1)
})
