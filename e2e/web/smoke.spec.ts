import { expect, test } from './web-app'

test('browser mode serves the app with its Parley heading', async ({ page }, testInfo) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })

  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1, name: 'Parley' })).toBeVisible()
  // Saved under test-results/ as well, so the list reporter's runs keep the picture too.
  const screenshot = testInfo.outputPath('home.png')
  await page.screenshot({ path: screenshot })
  await testInfo.attach('home', { path: screenshot, contentType: 'image/png' })

  // A Content-Security-Policy violation or a failed module load shows up here.
  expect(problems).toEqual([])
})
