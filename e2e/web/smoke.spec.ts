import { expect, test } from './web-app'

test('browser mode serves the app at the printed address, with no console error', async ({ page, webApp }, testInfo) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })

  await page.goto(webApp.url)
  await expect(page.getByRole('heading', { level: 1, name: 'Parley' })).toBeVisible()
  await expect(page.getByTestId('composer-input')).toBeVisible()
  await expect(page.getByTestId('new-session')).toBeVisible()
  const screenshot = testInfo.outputPath('home.png')
  await page.screenshot({ path: screenshot })
  await testInfo.attach('home', { path: screenshot, contentType: 'image/png' })

  // A Content-Security-Policy violation or a failed module load shows up here.
  expect(problems).toEqual([])
})

test('opening browser mode without its token says what to do instead of failing silently', async ({ browser, webApp }) => {
  // A fresh context: the token the other test used is kept in that page's sessionStorage.
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(new URL('/', webApp.url).toString())
  await expect(page.getByRole('alert')).toContainText('npm run web')
  await context.close()
})
