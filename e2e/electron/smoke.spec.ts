import { expect, test } from './electron-app'

test('the desktop app opens a window with the Parley heading and the preload bridge', async ({ appWindow }, testInfo) => {
  await expect(appWindow.getByRole('heading', { level: 1, name: 'Parley' })).toBeVisible()
  // Saved under test-results/ as well, so the list reporter's runs keep the picture too.
  const screenshot = testInfo.outputPath('window.png')
  await appWindow.screenshot({ path: screenshot })
  await testInfo.attach('window', { path: screenshot, contentType: 'image/png' })

  // The sandboxed preload ran and exposed ParleyApi, and the renderer reached main through it.
  const bridge = await appWindow.evaluate(async () => {
    const parley = (globalThis as { parley?: { enqueue?: unknown; status?: () => Promise<{ lastSeq: number }> } }).parley
    return { enqueue: typeof parley?.enqueue, lastSeq: (await parley?.status?.())?.lastSeq }
  })
  expect(bridge).toEqual({ enqueue: 'function', lastSeq: expect.any(Number) })
})
