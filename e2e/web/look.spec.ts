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
