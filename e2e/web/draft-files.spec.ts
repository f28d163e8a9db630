import { tinyPng } from '../../src/main/core/attachments/test-fixtures/tiny-pdf'
import { sendPrompt, waitForAnswers } from '../fixtures/chat-window'
import { chatModel } from '../fixtures/scripted-models'
import { expect, test } from './host-process'

// Files attached to a prompt not sent yet are kept with its draft: main dies (SIGKILL) and starts again, the page is
// loaded again, and the prompt is still there with its files, which go with it when it is sent.

test('a draft with files survives a crash of main and a reload, and is sent with its files', async ({ page, host, scripted }) => {
  test.setTimeout(60_000)
  scripted.answer((prompt) => ({ text: `Answer to ${prompt.slice(0, 40)}.` }))
  await page.goto(host.url)
  await sendPrompt(page, 'first')
  await waitForAnswers(page, 1)

  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('attach-button').click()
  await (await chooser).setFiles([
    { name: 'plan.md', mimeType: 'text/markdown', buffer: Buffer.from('# The plan\nkept across a crash\n') },
    { name: 'dot.png', mimeType: 'image/png', buffer: tinyPng }
  ])
  const attached = page.locator('[data-testid="attachment-chip"][data-phase="attached"]')
  await expect(attached).toHaveCount(2)
  await page.getByTestId('composer-input').fill('Read the plan and look at the dot')

  await host.kill()
  await host.restart()
  await page.reload()

  await expect(page.getByTestId('composer-input')).toHaveValue('Read the plan and look at the dot')
  await expect(attached).toHaveCount(2)
  await expect(attached.getByTestId('attachment-name')).toHaveText(['plan.md', 'dot.png'])
  await expect(attached.nth(1).getByTestId('attachment-thumb')).toHaveAttribute('src', /^data:image\//)
  // Main was asked whether it still has them (it does: two weeks unused before its sweep takes them).
  await expect(page.getByTestId('attachment-error')).toHaveCount(0)

  await expect(page.getByText('Lost the connection to Parley')).toHaveCount(0)
  await page.getByTestId('composer-input').press('Enter')
  // The scripted model doesn't say whether it sees images: the window asks first, as for any image.
  await page.getByTestId('vision-send-anyway').click()
  await waitForAnswers(page, 2)
  const sent = scripted.server.requests.filter((r) => r.path.endsWith('/chat/completions') && (r.body as { model?: string }).model === chatModel).at(-1)
  const body = JSON.stringify(sent?.body)
  expect(body).toContain('kept across a crash')
  expect(body).toContain('data:image/png;base64,')
  await expect(page.getByTestId('attachment-chip')).toHaveCount(0)

  // Sent: nothing is kept for the next load.
  await page.reload()
  await expect(page.getByTestId('composer-input')).toBeVisible()
  await expect(page.getByTestId('message').filter({ hasText: 'Read the plan and look at the dot' })).toBeVisible()
  await expect(page.getByTestId('attachment-chip')).toHaveCount(0)
})
