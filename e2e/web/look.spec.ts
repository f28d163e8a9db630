import type { Page } from '@playwright/test'
import { expect, test } from './chat-app'

// Issue 10, "Look and feel": a light / dark / system theme switch, visible focus, everything by keyboard, a sidebar
// that collapses by itself below 700 px, and no layout shift while an answer streams.

const background = (page: Page): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
const lightBg = 'rgb(247, 247, 248)'
const darkBg = 'rgb(23, 23, 26)'

test.describe('look and feel', () => {
  test('the theme follows the system until one is chosen; the choice survives a reload, and the palette sets it too', async ({
    chat
  }) => {
    const { page } = chat
    await page.emulateMedia({ colorScheme: 'dark' })
    await chat.open()
    await expect.poll(() => background(page)).toBe(darkBg)
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(() => background(page)).toBe(lightBg)

    const button = page.getByTestId('theme-button')
    await button.click() // System → Light
    await expect(button).toHaveAttribute('data-theme-choice', 'light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => background(page)).toBe(lightBg)
    await button.click() // Light → Dark
    await expect.poll(() => background(page)).toBe(darkBg)

    await page.emulateMedia({ colorScheme: 'light' })
    await page.reload()
    await expect(page.getByTestId('theme-button')).toHaveAttribute('data-theme-choice', 'dark')
    await expect.poll(() => background(page)).toBe(darkBg)

    await page.keyboard.press('Control+Shift+P')
    await page.keyboard.type('theme system')
    await page.keyboard.press('Enter')
    await expect.poll(() => background(page)).toBe(lightBg)
    await expect(page.getByTestId('theme-button')).toHaveAttribute('data-theme-choice', 'system')
  })

  test('a long chat title is cut short, and the header\'s controls beside it keep their size, never overlapping', async ({ chat, scripted }) => {
    const { page } = chat
    const long = 'A very long title about sourdough starters, rye flour, hydration and the temperature of a kitchen in winter'
    scripted.server.setDefault((request) => ((request.body as { model?: string }).model === 'small' ? { text: long } : { text: 'Sure.' }))
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await expect(page.locator('.chat-title')).toHaveText(long)
    for (const width of [1280, 900, 760]) {
      await page.setViewportSize({ width, height: 800 })
      const boxes = await page.evaluate(() =>
        ['.chat-title', '.chat-model-select', '[data-testid="chat-advanced-toggle"]', '.export-menu > button'].map((selector) => {
          const box = document.querySelector(selector)?.getBoundingClientRect()
          return box ? { selector, left: box.left, right: box.right } : { selector, left: Number.NaN, right: Number.NaN }
        })
      )
      // Left to right, each ends before the next begins.
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]?.left, `${boxes[i]?.selector} at ${width} px`).toBeGreaterThanOrEqual((boxes[i - 1]?.right ?? 0) - 0.5)
      const title = page.locator('.chat-title')
      expect(await title.evaluate((h) => h.scrollWidth > h.clientWidth)).toBe(true)
    }
  })

  test('right-to-left text reads right to left: an Arabic prompt, its answer and the composer take the text\'s direction', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.server.setDefault({ text: 'هذه قصيدة عن البحر.\n\nA second paragraph, in English.' })
    await chat.open()
    const composer = page.getByTestId('composer-input')
    await composer.fill('اكتب لي قصيدة عن البحر.')
    expect(await composer.evaluate((box) => getComputedStyle(box).direction)).toBe('rtl')
    await composer.press('Enter')
    await chat.waitForAnswers(1)
    const direction = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).direction)
    expect(await direction('.message-user [data-testid="message-text"]')).toBe('rtl')
    expect(await direction('.message-assistant [data-testid="message-text"]')).toBe('rtl')
    // Each paragraph takes its own direction: the English one starts at the left.
    expect(await page.locator('.message-assistant [data-testid="message-text"] p').nth(1).evaluate((p) => getComputedStyle(p).unicodeBidi)).toBe('plaintext')
  })

  test('below 700 px the chats collapse by themselves; the button and Ctrl+B open them over the chat, and picking one closes them', async ({
    chat
  }) => {
    const { page } = chat
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    const sidebar = page.getByTestId('sidebar')
    await expect(sidebar).toBeVisible()

    await page.setViewportSize({ width: 480, height: 800 })
    await expect(sidebar).toHaveCount(0)
    const toggle = page.getByTestId('sidebar-toggle')
    await expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await toggle.click()
    await expect(sidebar).toBeVisible()
    await page.getByTestId('session-item').first().click()
    await expect(sidebar).toHaveCount(0)
    await page.keyboard.press('Control+b')
    await expect(sidebar).toBeVisible()
    await page.keyboard.press('Control+b')
    await expect(sidebar).toHaveCount(0)
    // The chat has the whole width to itself: the sidebar never squeezes it.
    expect((await page.locator('.chat-pane').boundingBox())?.width).toBe(480)

    await page.setViewportSize({ width: 1000, height: 800 })
    await expect(sidebar).toBeVisible()
  })

  test('every control shows where the keyboard is: Tab reaches New chat with a visible focus ring, and Enter works it', async ({
    chat
  }) => {
    const { page } = chat
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await page.getByTestId('sidebar-toggle').focus()
    const newChat = page.getByTestId('new-session')
    const focused = (): Promise<boolean> => page.evaluate<boolean>("document.activeElement?.dataset.testid === 'new-session'")
    for (let presses = 0; presses < 30 && !(await focused()); presses += 1) await page.keyboard.press('Shift+Tab')
    await expect(newChat).toBeFocused()
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')
    expect(outline).not.toBe('none')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('session-item')).toHaveCount(2)
  })

  test('nothing moves while an answer streams: the header, the composer and the earlier messages stay put', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.answer((prompt) =>
      prompt === 'long' ? { text: 'word '.repeat(600), gate: 'mid', gateAfterTokens: 300 } : { text: `Re: ${prompt}` }
    )
    await chat.open()
    await chat.send('short')
    await chat.waitForAnswers(1)
    const boxes = async (): Promise<unknown[]> =>
      Promise.all([
        page.locator('.chat-head').boundingBox(),
        page.getByTestId('composer-input').boundingBox(),
        page.getByTestId('message').first().boundingBox()
      ])
    const before = await boxes()
    await chat.send('long')
    await scripted.waitForGate('mid')
    // The list scrolls to follow the answer; the first message may scroll away, but never sideways or resized.
    const [head, composer, first] = (await boxes()) as ({ x: number; width: number; y: number; height: number } | null)[]
    const [headBefore, composerBefore, firstBefore] = before as typeof head[]
    expect(head).toEqual(headBefore)
    expect(composer).toEqual(composerBefore)
    expect(first?.x).toBe(firstBefore?.x)
    expect(first?.width).toBe(firstBefore?.width)
    scripted.release('mid')
    await chat.waitForAnswers(2)
  })
})
