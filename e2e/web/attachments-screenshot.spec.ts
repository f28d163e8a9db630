import { tinyPdf } from '../../src/main/core/attachments/test-fixtures/tiny-pdf'
import { chatModel } from '../fixtures/scripted-models'
import { expect, test } from './chat-app'

// The README's picture of attachments: a chat holding an image and a PDF. `PARLEY_SCREENSHOT=1` writes
// docs/attachments.png (chat-app.ts copies it there).

test('README picture: a chat with an image and a PDF', async ({ chat, scripted }, testInfo) => {
  const { page } = chat
  await page.setViewportSize({ width: 1100, height: 720 })
  scripted.server.setCapabilities(chatModel, ['completion', 'vision'])
  scripted.title('Sales chart and report')
  scripted.answer(() => ({
    text:
      'The chart shows sales rising each quarter, with the largest jump in **Q3**.\n\n' +
      'The report agrees: page 1 gives Q3 as the best quarter, and page 2 puts it down to the new online shop.'
  }))
  await chat.open()
  const chart = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 400)
    const context = canvas.getContext('2d')
    if (context) {
      context.fillStyle = '#ffffff'
      context.fillRect(0, 0, 640, 400)
      context.strokeStyle = '#9a9aa6'
      context.beginPath()
      context.moveTo(60, 30)
      context.lineTo(60, 350)
      context.lineTo(610, 350)
      context.stroke()
      const heights = [90, 140, 260, 220]
      const colours = ['#7b93ff', '#5c77f0', '#3b5bdb', '#5c77f0']
      heights.forEach((height, i) => {
        context.fillStyle = colours[i] ?? '#3b5bdb'
        context.fillRect(100 + i * 130, 350 - height, 80, height)
        context.fillStyle = '#1d1d22'
        context.font = '20px sans-serif'
        context.fillText(`Q${i + 1}`, 125 + i * 130, 378)
      })
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())
    let binary = ''
    for (const byte of bytes) binary += String.fromCharCode(byte)
    return btoa(binary)
  })
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('attach-button').click()
  await (
    await chooser
  ).setFiles([
    { name: 'sales-chart.png', mimeType: 'image/png', buffer: Buffer.from(chart, 'base64') },
    {
      name: 'quarterly-report.pdf',
      mimeType: 'application/pdf',
      buffer: tinyPdf(['Q3 was the best quarter of the year.', 'The new online shop opened in July.'])
    }
  ])
  await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(2)
  await chat.send('What does the chart show, and does the report agree?')
  await chat.waitForAnswers(1)
  await expect(page.getByTestId('message-attachment-thumb')).toBeVisible()
  // A second pair on the composer, to show the chips before sending.
  const again = page.waitForEvent('filechooser')
  await page.getByTestId('attach-button').click()
  await (await again).setFiles([{ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n') }])
  await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
  await chat.screenshot(testInfo, 'attachments')
})
