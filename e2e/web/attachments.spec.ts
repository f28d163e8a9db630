import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { tinyPdf } from '../../src/main/core/attachments/test-fixtures/tiny-pdf'
import { animatedGif } from '../../src/main/core/attachments/test-fixtures/tiny-images'
import { readFileSync } from 'node:fs'
import { chatModel, titleModel } from '../fixtures/scripted-models'
import { expect, test, type ChatPage } from './chat-app'
import { startWebApp, stopWebApp } from './web-app'

// Issue 14, attachments, the window's half: attach by button, paste and drop; chips; what the model server receives.

/** A real PNG, drawn in the page (a 40×30 canvas), as bytes. */
async function pngBytes(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(40, 30)
    const context = canvas.getContext('2d')
    if (context) {
      context.fillStyle = '#3b5bdb'
      context.fillRect(0, 0, 40, 30)
      context.fillStyle = '#f0b429'
      context.fillRect(10, 8, 20, 14)
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())
    let binary = ''
    for (const byte of bytes) binary += String.fromCharCode(byte)
    return btoa(binary)
  })
  return Buffer.from(base64, 'base64')
}

interface OpenAiPart {
  type: string
  text?: string
  image_url?: { url: string }
}

/** The last user message of the last chat request, as content parts (a plain string becomes one text part). */
function lastUserParts(chat: ChatPage, scripted: { server: { requests: readonly { path: string; body: unknown }[] } }): OpenAiPart[] {
  const requests = scripted.server.requests.filter(
    (r) => r.path.endsWith('/chat/completions') && (r.body as { model?: string }).model === chatModel
  )
  const body = requests.at(-1)?.body as { messages: { role: string; content: string | OpenAiPart[] }[] } | undefined
  const user = body?.messages.filter((m) => m.role === 'user').at(-1)
  if (!user) return []
  return typeof user.content === 'string' ? [{ type: 'text', text: user.content }] : user.content
}

const chips = (page: Page) => page.getByTestId('attachment-chip')

async function attachByButton(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('attach-button').click()
  await (await chooser).setFiles(files)
}

/** Dispatches a paste (or a drop) with a DataTransfer holding one file made in the page. */
async function transferFile(page: Page, how: 'paste' | 'drop', file: { name: string; type: string; text?: string; bytes?: number }): Promise<void> {
  await page.evaluate(
    ({ how, file }) => {
      const transfer = new DataTransfer()
      const body = file.bytes === undefined ? [file.text ?? ''] : [new Uint8Array(file.bytes)]
      transfer.items.add(new File(body, file.name, { type: file.type }))
      const input = document.querySelector('[data-testid="composer-input"]')
      if (!input) throw new Error('no composer')
      if (how === 'paste') {
        input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
      } else {
        for (const type of ['dragenter', 'dragover', 'drop']) {
          input.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }))
        }
      }
    },
    { how, file }
  )
}

test.describe('attachments', () => {
  test('an image, a text file and a PDF reach the OpenAI-compatible server: image_url with the exact bytes, the file inlined with its name, the PDF as its text', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.server.setCapabilities(chatModel, ['completion', 'vision'])
    scripted.answer(() => ({ text: 'I see a blue box.' }))
    await chat.open()
    const png = await pngBytes(page)
    await attachByButton(page, [
      { name: 'box.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\nThe box is blue.\n') },
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: tinyPdf(['Quarterly figures look fine']) }
    ])
    await expect(chips(page)).toHaveCount(3)
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(3)
    await expect(chips(page).first().getByTestId('attachment-thumb')).toBeVisible()

    await chat.send('What is in these?')
    await chat.waitForAnswers(1)
    await expect(chips(page)).toHaveCount(0)

    const parts = lastUserParts(chat, scripted)
    const image = parts.find((part) => part.type === 'image_url')
    expect(image?.image_url?.url).toBe(`data:image/png;base64,${png.toString('base64')}`)
    const text = parts.filter((part) => part.type === 'text').map((part) => part.text ?? '').join('\n')
    expect(text).toContain('File: notes.md')
    expect(text).toContain('The box is blue.')
    expect(text).toContain('PDF: report.pdf')
    expect(text).toContain('Quarterly figures look fine')
    expect(text).toContain('What is in these?')

    // The chat shows them on the user message; the image opens whole, and Esc closes it.
    const user = page.locator('[data-testid="message"][data-role="user"]')
    await expect(user.getByTestId('message-attachment')).toHaveCount(3)
    await user.getByTestId('message-attachment-thumb').click()
    await expect(page.getByTestId('image-viewer-image')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('image-viewer')).toHaveCount(0)
    // The thumbnail is kept in Dexie under the attachment's id.
    const tables = await chat.storedTables()
    expect((tables['thumbnails'] ?? []).length).toBe(1)
  })

  test('paste and drag-and-drop both attach; the drop zone shows while dragging', async ({ chat, scripted }) => {
    const { page } = chat
    const sockets: string[][] = []
    page.on('websocket', (socket) => {
      const frames: string[] = []
      sockets.push(frames)
      socket.on('framesent', ({ payload }) => {
        if (typeof payload === 'string') frames.push(payload.slice(0, 200))
      })
    })
    scripted.answer(() => ({ text: 'ok' }))
    await chat.open()
    await transferFile(page, 'paste', { name: 'pasted.txt', type: 'text/plain', text: 'from the clipboard' })
    await expect(chips(page)).toHaveCount(1)
    await page.evaluate(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }))
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }))
    })
    await expect(page.getByTestId('drop-zone')).toBeVisible()
    await transferFile(page, 'drop', { name: 'dropped.txt', type: 'text/plain', text: 'from a drop' })
    await expect(page.getByTestId('drop-zone')).toHaveCount(0)
    await expect(chips(page)).toHaveCount(2)
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(2)
    await chat.send('two files')
    await chat.waitForAnswers(1)
    const text = lastUserParts(chat, scripted).map((part) => part.text ?? '').join('\n')
    expect(text).toContain('File: pasted.txt')
    expect(text).toContain('from a drop')
    // The bytes went to main over the attach worker's own sockets: the window's bridge (the socket that subscribes to
    // events) carried no upload.
    const bridge = sockets.filter((frames) => frames.some((frame) => frame.includes('"kind":"subscribe"')))
    const uploads = (frames: string[]): number => frames.filter((frame) => frame.includes('"method":"putAttachment"')).length
    expect(bridge.length).toBeGreaterThan(0)
    expect(bridge.map(uploads)).toEqual(bridge.map(() => 0))
    expect(sockets.map(uploads).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2)
  })

  test('bad input gets its error on its chip, and the prompt and the other chips stay', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    const input = page.getByTestId('composer-input')
    await input.fill('Keep this text')
    await attachByButton(page, [{ name: 'fine.txt', mimeType: 'text/plain', buffer: Buffer.from('fine') }])
    // Too large (made in the page: nothing on disk), damaged, of a type Parley can't send.
    await transferFile(page, 'paste', { name: 'huge.png', type: 'image/png', bytes: 21 * 1024 * 1024 })
    await transferFile(page, 'paste', { name: 'broken.png', type: 'image/png', text: 'this is not a PNG' })
    await transferFile(page, 'paste', { name: 'song.mp3', type: 'audio/mpeg', text: 'ID3' })
    const refused = page.locator('[data-testid="attachment-chip"][data-phase="refused"]')
    await expect(refused).toHaveCount(3)
    await expect(refused.nth(0).getByTestId('attachment-error')).toContainText('an image can be at most 20 MB')
    await expect(refused.nth(1).getByTestId('attachment-error')).toContainText('broken.png')
    await expect(refused.nth(2).getByTestId('attachment-error')).toContainText('audio/mpeg')

    await input.press('Enter')
    await expect(page.getByTestId('composer-error')).toContainText("Remove huge.png first: it can't be sent.")
    await expect(input).toHaveValue('Keep this text')
    await expect(chips(page)).toHaveCount(4)
    expect(scripted.chatRequests()).toHaveLength(0)
    expect(scripted.server.requests.some((r) => r.path.endsWith('/chat/completions'))).toBe(false)

    // Removing the refused ones sends the rest.
    for (let i = 0; i < 3; i++) await refused.first().getByTestId('remove-attachment').click()
    await input.press('Enter')
    await chat.waitForAnswers(1)
    expect(lastUserParts(chat, scripted).map((part) => part.text ?? '').join('\n')).toContain('File: fine.txt')
  })

  test('a pasted prompt too long to go as text is said under the box at once; as a file it reaches the model', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    const input = page.getByTestId('composer-input')
    const log = `2026-12-05 boot ok\n${'x'.repeat(200_000)}`
    await input.fill(log)
    const notice = page.getByTestId('long-prompt')
    await expect(notice).toContainText('This prompt is 200,019 characters; at most 200,000 go as text. Send it as a file instead?')
    await input.press('Enter')
    await expect(notice).toContainText('at most 200,000 go as text')
    await expect(page.getByTestId('composer-error')).toHaveCount(0)
    await expect(input).toHaveValue(log)
    expect(scripted.chatRequests()).toHaveLength(0)

    await page.getByTestId('prompt-as-file').click()
    await expect(input).toHaveValue('')
    await expect(notice).toHaveCount(0)
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await expect(page.getByTestId('attachment-name')).toHaveText('pasted text.txt')
    await input.press('Enter')
    await chat.waitForAnswers(1)
    const text = lastUserParts(chat, scripted).map((part) => part.text ?? '').join('\n')
    expect(text).toContain('File: pasted text.txt')
    expect(text).toContain(log)
  })

  test('an edit too long to go as text goes as a file too: the new branch\'s prompt carries it to the model', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    await chat.send('short first')
    await chat.waitForAnswers(1)
    await page.locator('[data-testid="message"][data-role="user"]').first().getByRole('button', { name: 'Edit' }).click()
    const editor = page.getByTestId('edit-prompt-input')
    const log = `2026-12-06 edited boot\n${'y'.repeat(200_000)}`
    await editor.fill(log)
    await expect(page.getByTestId('edit-long-prompt')).toContainText('at most 200,000 go as text. Shorten it, or attach it as a file.')
    await page.getByTestId('edit-prompt-as-file').click()
    await expect(editor).toHaveValue('')
    await expect(page.getByTestId('edit-prompt').getByTestId('attachment-name')).toHaveText('pasted text.txt')
    await expect(page.getByTestId('edit-prompt').locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await editor.fill('What went wrong?')
    await page.getByTestId('edit-save').click()
    await expect.poll(() => scripted.chatRequests().length).toBe(2)
    await chat.waitForAnswers(1)
    const text = lastUserParts(chat, scripted).map((part) => part.text ?? '').join('\n')
    expect(text).toContain('What went wrong?')
    expect(text).toContain('File: pasted text.txt')
    expect(text).toContain(log)
  })

  test('a PDF with no text (a scan) is attached with a warning on its chip; a locked one is refused as locked', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await attachByButton(page, [
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: tinyPdf(['']) },
      { name: 'locked.pdf', mimeType: 'application/pdf', buffer: tinyPdf(['Secret'], { locked: true }) }
    ])
    const scan = chips(page).filter({ hasText: 'scan.pdf' })
    await expect(scan).toHaveAttribute('data-phase', 'attached')
    await expect(scan.getByTestId('attachment-warning')).toHaveText(/^No text found \(scanned\?\): the model will see nothing of it/)
    await expect(chips(page).filter({ hasText: 'locked.pdf' }).getByTestId('attachment-error')).toHaveText(
      "locked.pdf is locked with a password, and Parley can't open it: attach a copy without the password."
    )
  })

  test('a GIF sent to a local engine that refuses GIFs (as Ollama does) arrives as a PNG and is answered; the chat keeps the GIF', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.server.setCapabilities(chatModel, ['completion', 'vision'])
    scripted.server.refuseImagesAs('ollama')
    scripted.answer(() => ({ text: 'A tiny animation.' }))
    await chat.open()
    await attachByButton(page, [{ name: 'party.gif', mimeType: 'image/gif', buffer: animatedGif }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await expect(chips(page).getByTestId('attachment-warning')).toHaveText('Animated GIF: the model sees only its first frame.')
    await chat.send('What is this?')
    await chat.waitForAnswers(1)
    await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('A tiny animation.')
    const image = lastUserParts(chat, scripted).find((part) => part.type === 'image_url')
    expect(image?.image_url?.url.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true)
    const user = page.locator('[data-testid="message"][data-role="user"]')
    // The chat shows the GIF as attached: its thumbnail, named after it, and the whole image is the GIF main keeps.
    await expect(user.getByTestId('message-attachment-thumb')).toHaveAttribute('alt', 'party.gif')
    await user.getByTestId('message-attachment-thumb').click()
    await expect(page.getByTestId('image-viewer-image')).toHaveAttribute('src', `data:image/gif;base64,${animatedGif.toString('base64')}`)
  })

  test('a model that cannot see images gets a warning first: Cancel keeps everything, Send anyway sends', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.server.setCapabilities(chatModel, ['completion'])
    await chat.open()
    await attachByButton(page, [{ name: 'box.png', mimeType: 'image/png', buffer: await pngBytes(page) }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    const input = page.getByTestId('composer-input')
    await input.fill('Look')
    await input.press('Enter')
    await expect(page.getByTestId('vision-warning')).toContainText(`${chatModel} can't see images`)
    await page.getByTestId('vision-cancel').click()
    await expect(input).toHaveValue('Look')
    await expect(chips(page)).toHaveCount(1)
    expect(scripted.chatRequests()).toHaveLength(0)
    await input.press('Enter')
    await page.getByTestId('vision-send-anyway').click()
    await chat.waitForAnswers(1)
  })

  test('Retry after a failure resends the image; deleting the chat removes the file from main’s data folder', async ({ chat, scripted }) => {
    test.slow()
    const { page } = chat
    scripted.server.setCapabilities(chatModel, ['completion', 'vision'])
    let calls = 0
    scripted.answer(() => (++calls === 1 ? { fault: { type: 'status', status: 400, body: { error: { message: 'bad day' } } } } : { text: 'Now I see it.' }))
    await chat.open()
    const png = await pngBytes(page)
    await attachByButton(page, [{ name: 'box.png', mimeType: 'image/png', buffer: png }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await chat.send('Describe it')
    const failed = page.locator('[data-testid="message"][data-role="assistant"][data-finish-reason="error"]')
    await expect(failed).toHaveCount(1, { timeout: 15_000 })
    await failed.getByTestId('retry-run').click()
    await expect(page.locator('[data-testid="message"][data-role="assistant"][data-finish-reason="end_turn"]')).toHaveCount(1, { timeout: 15_000 })
    const image = lastUserParts(chat, scripted).find((part) => part.type === 'image_url')
    expect(image?.image_url?.url).toBe(`data:image/png;base64,${png.toString('base64')}`)

    const folder = join(chat.dataDir, 'attachments')
    const held = (): string[] => (existsSync(folder) ? readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => /[0-9a-f]{64}/.test(name)) : [])
    // Stored once, named by its SHA-256 (with main's note of its name and kind beside it).
    expect(held()).toContain(createHash('sha256').update(png).digest('hex'))
    const row = page.getByTestId('session-item').first()
    await row.hover()
    await row.getByTestId('delete-session').click()
    await row.getByTestId('confirm-delete').click()
    await expect(page.getByTestId('undo-delete')).toHaveCount(0, { timeout: 20_000 })
    await expect.poll(held, { timeout: 10_000 }).toEqual([])
  })

  test('each chat keeps its own attachments: a file attached in one chat is not sent from another, and is there on coming back', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer(() => ({ text: 'Noted.' }))
    const rows = page.getByTestId('session-item')
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await page.getByTestId('new-session').click()
    await chat.send('second')
    await chat.waitForAnswers(1)
    await expect(rows).toHaveCount(2)
    const second = await rows.first().getAttribute('data-session-id')
    const first = await rows.nth(1).getAttribute('data-session-id')

    await attachByButton(page, [{ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# For the second chat\n') }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await page.locator(`[data-testid="session-item"][data-session-id="${first ?? ''}"] .session-open`).click()
    await expect(chips(page)).toHaveCount(0)
    await chat.send('in the first chat, no file')
    await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(2)
    const sent = lastUserParts(chat, scripted)
    expect(sent.map((part) => part.text ?? '').join('\n')).toContain('in the first chat, no file')
    expect(sent.map((part) => part.text ?? '').join('\n')).not.toContain('notes.md')

    await page.locator(`[data-testid="session-item"][data-session-id="${second ?? ''}"] .session-open`).click()
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await expect(chips(page).getByTestId('attachment-name')).toHaveText('notes.md')
  })

  test('an image reaches the Anthropic endpoint as an image block', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer(() => ({ text: 'Claude sees it.' }))
    await chat.open()
    await page.getByTestId('settings-button').click()
    await page.getByTestId('settings-preset').selectOption('anthropic')
    await page.getByTestId('settings-add-provider').click()
    await page.getByTestId('settings-base-url').fill(scripted.server.origin)
    await page.getByTestId('settings-api-key').fill('sk-ant-test-123')
    await page.getByTestId('settings-model-provider').selectOption('anthropic')
    await page.getByTestId('settings-model').fill('claude-test')
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')
    await page.getByTestId('settings-close').click()

    const png = await pngBytes(page)
    await attachByButton(page, [{ name: 'box.png', mimeType: 'image/png', buffer: png }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await chat.send('What is this?')
    await chat.waitForAnswers(1)
    const request = scripted.server.requests.filter((r) => r.path === '/v1/messages').at(-1)
    const messages = (request?.body as { messages: { role: string; content: string | { type: string; source?: unknown }[] }[] }).messages
    const content = messages.filter((m) => m.role === 'user').at(-1)?.content
    const blocks = typeof content === 'string' ? [] : (content ?? [])
    expect(blocks.find((block) => block.type === 'image')?.source).toEqual({ type: 'base64', media_type: 'image/png', data: png.toString('base64') })
  })

  test('export carries the image; importing it into a fresh Parley shows it, its thumbnail made from main’s bytes', async ({ chat, scripted, browser }) => {
    test.slow()
    const { page } = chat
    scripted.server.setCapabilities(chatModel, ['completion', 'vision'])
    await chat.open()
    const png = await pngBytes(page)
    await attachByButton(page, [{ name: 'box.png', mimeType: 'image/png', buffer: png }])
    await expect(page.locator('[data-testid="attachment-chip"][data-phase="attached"]')).toHaveCount(1)
    await chat.send('Keep this')
    await chat.waitForAnswers(1)
    await page.getByTestId('export-menu').click()
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-json').click()
    const text = readFileSync(await (await downloading).path(), 'utf8')
    const archive = JSON.parse(text) as { version: number; attachments?: { name: string; dataBase64: string }[] }
    expect(archive.version).toBe(2)
    expect(archive.attachments).toEqual([expect.objectContaining({ name: 'box.png', dataBase64: png.toString('base64') })])

    const fresh = await startWebApp({ PARLEY_PROVIDER_URL: scripted.server.url, PARLEY_MODEL: chatModel, PARLEY_SMALL_MODEL: titleModel })
    const other = await browser.newPage()
    try {
      await other.goto(fresh.url)
      await expect(other.getByTestId('composer-input')).toBeVisible()
      const choosing = other.waitForEvent('filechooser')
      await other.getByTestId('import-button').click()
      await (await choosing).setFiles({ name: 'chat.parley.json', mimeType: 'application/json', buffer: Buffer.from(text) })
      await expect(other.getByTestId('transfer-status')).toContainText('Imported 1 chat')
      await other.getByTestId('transfer-close').click()
      await other.getByTestId('session-item').first().click()
      const thumb = other.getByTestId('message-attachment-thumb')
      await expect(thumb).toBeVisible()
      await expect(thumb).toHaveAttribute('src', /^data:image\//)
      await thumb.click()
      await expect(other.getByTestId('image-viewer-image')).toHaveAttribute('src', `data:image/png;base64,${png.toString('base64')}`)
    } finally {
      await other.close()
      await stopWebApp(fresh.server)
    }
  })
})
