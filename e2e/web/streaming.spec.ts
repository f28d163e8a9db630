import type { Page } from '@playwright/test'
import { expect, test, type ChatPage, type ScriptedModels } from './chat-app'

/** An answer a few screens tall: numbered paragraphs, `end` last. */
const tallAnswer = (tag: string, end: string): string =>
  [...Array.from({ length: 120 }, (_, i) => `${tag} paragraph ${i}: some words to make the line.`), end].join('\n\n')

/** How far (px) the chat's scroller is from its bottom. */
function distanceFromBottom(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scroller = (globalThis as unknown as { document: { querySelector(s: string): { scrollHeight: number; scrollTop: number; clientHeight: number } | null } }).document.querySelector(
      '.chat-pane [data-virtuoso-scroller="true"]'
    )
    return scroller ? scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight : Number.POSITIVE_INFINITY
  })
}

test('a chat opened while an answer streams into it shows at once at that answer, and the reader can scroll up', async ({ chat, scripted }) => {
  test.setTimeout(90_000)
  const { page } = chat
  const streamed = Array.from({ length: 400 }, (_, i) => ` streamed${i}\n\n`)
  scripted.answer((prompt) => (prompt === 'stream' ? { tokens: streamed, tokenDelayMs: 40 } : { text: `Answer to ${prompt}. ${'More words here. '.repeat(20)}` }))
  await chat.open()
  for (let i = 0; i < 8; i++) {
    await chat.send(`prompt ${i}`)
    await expect(page.getByText(`Answer to prompt ${i}.`)).toBeVisible()
  }
  await chat.send('stream')
  await expect(page.getByText('streamed5', { exact: true })).toBeVisible()
  // Away and back while it streams (16 s in all). Opened through Virtuoso's own opening, the chat stayed blank until
  // the answer ended: each token re-measured the answer, and Virtuoso kept its rows hidden until 150 ms without one.
  await page.getByTestId('new-session').click()
  await expect(page.getByText('Start a conversation')).toBeVisible()
  await page.getByTestId('session-item').filter({ hasNotText: 'New chat' }).click()
  const streaming = page.getByTestId('message').filter({ hasText: 'streamed' })
  await expect(streaming).toBeVisible({ timeout: 5_000 })
  await expect(streaming).toBeInViewport()
  expect(await page.getByTestId('message').filter({ hasText: 'streamed399' }).count()).toBe(0)
  // Up with the wheel while it still streams: the list stops following (the ↓ button shows), and the answer no longer
  // carries the reader down. (Virtuoso's own following, kept alive by each token's re-measure, carried the reader
  // back to the bottom in 2 runs of 6; Parley follows by itself now: use-follow-bottom.ts.)
  await expect(page.locator('.chat-list-frame[data-placed]')).toHaveCount(1)
  const list = await page.locator('.chat-list').boundingBox()
  await page.mouse.move((list?.x ?? 0) + 200, (list?.y ?? 0) + 200)
  for (let turn = 0; turn < 5; turn++) await page.mouse.wheel(0, -400)
  await expect(page.getByTestId('jump-to-newest')).toBeVisible()
  await page.waitForTimeout(1_000)
  expect(await distanceFromBottom(page)).toBeGreaterThan(48)
  await expect(page.getByTestId('jump-to-newest')).toBeVisible()
  // Back down with the scrollbar: the list follows the answer again (it stayed put until End or the ↓ button). Headless
  // Chromium hides its scrollbars (Playwright's --hide-scrollbars), so what a press and drag on one sends is sent by
  // hand: a pointer pressed on the scroller itself, then its scrollTop moved to the bottom over a few frames and held
  // there a few more, as a hand keeps the thumb at the end of its track. (Moved there once, under load in CI, tokens
  // that came in the same frame had grown the answer past the slack before the scroll was heard: 1 run in ~100.)
  await page.locator('.chat-pane [data-virtuoso-scroller="true"]').evaluate(async (scroller) => {
    scroller.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
    for (let frame = 1; frame <= 10; frame++) {
      scroller.scrollTop += (scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop) * Math.min(1, frame / 4)
      await new Promise((resolve) => requestAnimationFrame(resolve))
    }
    scroller.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }))
  })
  await expect(page.getByTestId('jump-to-newest')).toBeHidden()
  await expect(page.getByText('streamed399', { exact: true })).toBeInViewport({ timeout: 30_000 })
  expect(await distanceFromBottom(page)).toBeLessThanOrEqual(48)
})

test('a chat whose last answer is taller than the window opens at its very end, and the next answer streams in view', async ({ chat, scripted }) => {
  const { page } = chat
  scripted.answer((prompt) => (prompt === 'first' ? { text: tallAnswer('one', 'first-end') } : { text: tallAnswer('two', 'second-end') }))
  await chat.open()
  await chat.send('first')
  await chat.waitForAnswers(1)
  await page.reload()
  await expect(page.getByText('first-end')).toBeInViewport()
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  await chat.send('second')
  // The first answer is out of the virtual list by now, so the second is waited for where it ends.
  await expect(page.getByText('second-end')).toBeInViewport({ timeout: 15_000 })
})

/**
 * Sends a long answer's prompt to the open chat as the provider streams it fast, and says how often the list drew the
 * answer's row from nothing after it first drew it (0: it grew in place), once its end is in view.
 */
async function answerRowsDrawnAnew(page: Page, send: (prompt: string) => Promise<void>): Promise<{ drawnAnew: number; firstConnected: boolean }> {
  await send('grow')
  const answer = page.getByTestId('message').filter({ hasText: 'grow0' })
  await expect(answer).toBeVisible()
  await page.evaluate(`(() => {
    const first = [...document.querySelectorAll('[data-testid="message"]')].find((m) => m.textContent.includes('grow0'))
    globalThis.__firstAnswer = first
    globalThis.__answerRowsDrawn = 0
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && n.querySelector && [...n.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent.includes('grow0'))) globalThis.__answerRowsDrawn++
    }).observe(document.querySelector('.chat-list [data-testid="virtuoso-item-list"]'), { childList: true })
  })()`)
  await expect(page.getByText('grow-end')).toBeInViewport({ timeout: 30_000 })
  return { drawnAnew: Number(await page.evaluate('globalThis.__answerRowsDrawn')), firstConnected: (await page.evaluate('globalThis.__firstAnswer.isConnected')) === true }
}

test.describe('a long answer streamed fast grows in the row it started in: the row is never drawn anew while the list follows it', () => {
  const paragraphs = Array.from({ length: 350 }, (_, i) => ` grow${i} ${'words that fill the line '.repeat(3)}\n\n`)

  /** A chat of `prompts` short prompts and answers; `grow` is then answered with the paragraphs, `tokenDelayMs` apart. */
  async function chatOfShortAnswers(chat: ChatPage, scripted: ScriptedModels, prompts: number, tokenDelayMs: number): Promise<void> {
    test.setTimeout(60_000)
    scripted.answer((prompt) => (prompt === 'grow' ? { tokens: [...paragraphs, ' grow-end'], tokenDelayMs } : { text: `Answer to ${prompt}.` }))
    await chat.open()
    for (let i = 0; i < prompts; i++) {
      await chat.send(`prompt ${i}`)
      await expect(chat.page.getByText(`Answer to prompt ${i}.`)).toBeVisible()
    }
  }

  test('in a chat the list drew from its start', async ({ chat, scripted }) => {
    const { page } = chat
    await chatOfShortAnswers(chat, scripted, 4, 2)
    // Told of the rows' growth before Virtuoso had measured it, the follow pin scrolled past the rows Virtuoso knew of:
    // it drew none there, then the answer's row from nothing (its text unformatted again), twice for each delta.
    expect(await answerRowsDrawnAnew(page, (prompt) => chat.send(prompt))).toEqual({ drawnAnew: 0, firstConnected: true })
    await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  })

  test('in a chat opened at its end, its last rows drawn first', async ({ chat, scripted }) => {
    const { page } = chat
    await chatOfShortAnswers(chat, scripted, 5, 0)
    // Opened anew, the chat's ten messages are drawn from its end (the last six first, then the rest above them), and
    // Virtuoso makes its ResizeObserver anew a render after the list's effects: the pin's was told of sizes first, and
    // with the answer growing by more than a screen a delta (sent all at once), its row was drawn and dropped in turn
    // for every delta (the view blank in between).
    await page.reload()
    await expect(page.locator('.chat-list-frame[data-end-first="settled"]')).toHaveCount(1)
    expect(await answerRowsDrawnAnew(page, (prompt) => chat.send(prompt))).toEqual({ drawnAnew: 0, firstConnected: true })
    await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  })
})

test('a burst of markdown is shown whole at once and ends formatted: every code block highlighted, every formula typeset', async ({ chat, scripted }) => {
  const { page } = chat
  const parts = Array.from({ length: 60 }, (_, i) =>
    i % 6 === 5 ? `\`\`\`ts\nconst n${i} = ${i}\n\`\`\`` : `**Part ${i}** ${'some words in a paragraph '.repeat(12)}and $x^{${i}}$.`
  )
  scripted.answer(() => ({ text: [...parts, 'burst-end'].join('\n\n') }))
  await chat.open()
  await chat.send('burst')
  const answer = page.locator('[data-testid="message"][data-role="assistant"]')
  // A new chat's first answer arriving whole in one burst is followed to its end. (It was not while Virtuoso's own
  // following ran: its scroller went back to 0 after the jump; Parley follows by itself since the tenth session.)
  await expect(answer.getByText('burst-end')).toBeInViewport({ timeout: 15_000 })
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  await expect(answer.getByTestId('unformatted-block')).toHaveCount(0)
  await expect(answer.locator('[data-testid="code-block"][data-highlighted="true"]')).toHaveCount(10)
  await expect(answer.locator('.math-inline .katex')).toHaveCount(50)
  await expect(answer.locator('strong')).toHaveCount(50)
})

test('the list stays at the bottom as the composer grows with a long prompt', async ({ chat, scripted }) => {
  const { page } = chat
  scripted.answer((prompt) => ({ text: `Answer to ${prompt}. ${'More words here. '.repeat(30)}` }))
  await chat.open()
  for (let i = 0; i < 6; i++) {
    await chat.send(`prompt ${i}`)
    await expect(page.getByText(`Answer to prompt ${i}.`)).toBeVisible()
  }
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  // Ten lines typed: the composer grows and the list's view gets shorter, by more than the slack. (Virtuoso's following
  // kept the bottom in view before; Parley follows by itself now, use-follow-bottom.ts.)
  const scroller = page.locator('.chat-pane [data-virtuoso-scroller="true"]')
  const viewBefore = await scroller.evaluate((element) => element.clientHeight)
  const input = page.getByTestId('composer-input')
  await input.click()
  for (let line = 0; line < 10; line++) await input.press('Shift+Enter')
  await expect.poll(() => scroller.evaluate((element) => element.clientHeight)).toBeLessThan(viewBefore - 100)
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  await expect(page.getByText('Answer to prompt 5.')).toBeInViewport()
})

test('a prompt queued behind a running answer starts without pulling a reader who scrolled up back down; one sent to an idle chat does', async ({ chat, scripted }) => {
  const { page } = chat
  scripted.answer((prompt) => (prompt === 'hold' ? { text: `Held answer. ${'Some words here. '.repeat(40)}`, gate: 'hold' } : { text: `Answer to ${prompt}. ${'More words here. '.repeat(40)}` }))
  await chat.open()
  for (let i = 0; i < 6; i++) {
    await chat.send(`prompt ${i}`)
    await expect(page.getByText(`Answer to prompt ${i}.`)).toBeVisible()
  }
  await chat.send('hold')
  await scripted.waitForGate('hold')
  await chat.send('queued')
  await expect(page.getByTestId('queued-chip')).toHaveCount(1)
  // The reader goes up to read, then the held answer ends and the queued prompt starts and is answered.
  const list = await page.locator('.chat-list').boundingBox()
  await page.mouse.move((list?.x ?? 0) + 200, (list?.y ?? 0) + 200)
  for (let turn = 0; turn < 4; turn++) await page.mouse.wheel(0, -400)
  await expect(page.getByTestId('jump-to-newest')).toBeVisible()
  scripted.release('hold')
  // Its answer is below, out of the drawn rows: the server says when it was sent, the composer when the chat is idle.
  await expect
    .poll(() => scripted.server.requests.some((request) => request.finishedAt !== undefined && JSON.stringify(request.body ?? null).includes('"queued"')), { timeout: 15_000 })
    .toBe(true)
  await expect(page.getByTestId('queued-chip')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Send the prompt (Enter)' })).toBeVisible()
  await page.waitForTimeout(500)
  expect(await distanceFromBottom(page)).toBeGreaterThan(48)
  await expect(page.getByTestId('jump-to-newest')).toBeVisible()
  // A prompt sent now, to the idle chat, brings the list down to it and its answer.
  await chat.send('now')
  await expect(page.getByText('Answer to now.')).toBeInViewport()
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(48)
  await expect(page.getByTestId('jump-to-newest')).toBeHidden()
})
