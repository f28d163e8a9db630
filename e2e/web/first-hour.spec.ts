import { expect, test } from './chat-app'

/** What a new user met in their first hour, in the real window (docs/decisions.md, "a demanding new user's first hour"). */
test.describe("a new user's first hour", () => {
  test('Enter in a Settings field near the top shows why Save was refused, and Save, in view', async ({ chat }) => {
    const { page } = chat
    await page.setViewportSize({ width: 1280, height: 800 })
    await chat.open()
    await page.getByTestId('settings-button').click()
    const name = page.getByTestId('settings-provider-name')
    await name.fill('')
    await name.press('Enter')
    const feedback = page.getByTestId('settings-feedback')
    await expect(feedback).toContainText('the Name is empty')
    // Named by where it is, not by its internal id ("ollama: the Name is empty.").
    await expect(feedback).toContainText(/^The provider at http:\/\/\S+: the Name is empty\./)
    // In view: inside the window and inside the dialog's scrolled box, not 600 px below its bottom.
    await expect(feedback).toBeInViewport({ ratio: 1 })
    await expect(page.getByTestId('settings-save')).toBeInViewport({ ratio: 1 })
    const dialog = await page.getByRole('dialog').boundingBox()
    const shown = await feedback.boundingBox()
    expect(dialog).not.toBeNull()
    expect(shown).not.toBeNull()
    expect(shown!.y + shown!.height).toBeLessThanOrEqual(dialog!.y + dialog!.height)
    // The field typed in keeps the focus, so the person can put it right.
    await expect(name).toBeFocused()
  })

  test('Tab and Shift+Tab into a long chat land on what is shown, the list keeps its place, and its focus is seen', async ({ chat, scripted }) => {
    const { page } = chat
    await page.setViewportSize({ width: 1280, height: 800 })
    const essay = (paragraphs: number): string =>
      Array.from({ length: paragraphs }, (_, at) => `Paragraph ${at + 1}: the quick brown fox jumps over the lazy dog, twice over.`).join('\n\n')
    // A long answer, a middling one, a short one: the middling one's controls are drawn just above the view.
    const lengths: Record<string, number> = { 'First essay': 40, 'Second essay': 14, 'Third essay': 1 }
    scripted.answer((prompt) => ({ text: `On ${prompt}:\n\n${essay(lengths[prompt] ?? 1)}` }))
    await chat.open()
    // One at a time: the list draws only the answers near the view, so they can't be counted at the end.
    for (const prompt of ['First essay', 'Second essay', 'Third essay']) {
      await chat.send(prompt)
      const answer = page.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]', { hasText: `On ${prompt}:` })
      await expect(answer).toHaveCount(1)
    }
    const list = page.locator('.chat-list')
    const top = (): Promise<number> => list.evaluate((element) => Math.round(element.scrollTop))

    // From the header's last control: the list itself, its focus drawn (Virtuoso draws it `outline: none`).
    await page.getByTestId('export-menu').focus()
    await page.keyboard.press('Tab')
    await expect(list).toBeFocused()
    expect(await list.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none')
    const before = await top()
    // The case in point: the first control in the page's order is drawn out of sight, above the view.
    const firstDrawn = await list.evaluate((element) => {
      const stop = element.querySelector('button')
      return stop ? stop.getBoundingClientRect().bottom - element.getBoundingClientRect().top : 0
    })
    expect(firstDrawn).toBeLessThan(0)
    // On: the first control in view (the last answer's), not one in the rows drawn above it; the list stays.
    await page.keyboard.press('Tab')
    await expect(page.locator(':focus')).toBeInViewport({ ratio: 1 })
    expect(await top()).toBe(before)

    // Scrolled up into the long answer, Shift+Tab from below the list stops in it where the reader is (on the list
    // itself when nothing there can be pressed), not on a control drawn far below.
    await list.evaluate((element) => element.scrollBy(0, -1200))
    await expect.poll(top).toBeLessThan(before - 1000)
    const up = await top()
    // The last stop before the list, below it: the ↓ button shown while the list is scrolled up.
    await page.getByRole('button', { name: /Jump to the newest message/ }).focus()
    await page.keyboard.press('Shift+Tab')
    const focused = page.locator(':focus')
    await expect(focused).toBeInViewport({ ratio: 1 })
    expect(await focused.evaluate((element) => element.closest('.chat-list') !== null)).toBe(true)
    expect(Math.abs((await top()) - up)).toBeLessThan(5)
  })

  test('importing some other JSON says so in plain words, inside the dialog\'s edges, and the dialog keeps the keyboard', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    const choosing = page.waitForEvent('filechooser')
    await page.getByTestId('import-button').click()
    await (await choosing).setFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from('{"theme": "dark"}') })
    const dialog = page.getByTestId('transfer-dialog')
    await expect(page.getByTestId('import-problems')).toHaveText(/is not a Parley export .* nor ChatGPT's conversations\.json/)
    await expect(page.getByTestId('import-problems')).not.toContainText('Invalid input')
    // Its words are inside its edges, not against them.
    const box = await dialog.boundingBox()
    const status = await page.getByTestId('transfer-status').boundingBox()
    expect(status!.x - box!.x).toBeGreaterThanOrEqual(12)
    expect(box!.x + box!.width - (status!.x + status!.width)).toBeGreaterThanOrEqual(12)
    // Tab stays on its Close; Esc closes it and the focus comes back to Import.
    const close = page.getByTestId('transfer-close')
    await expect(close).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(close).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    await expect(page.getByTestId('import-button')).toBeFocused()
  })

  test('the Export menu\'s choices are drawn in the text\'s colour, not the grey that says "disabled"', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await chat.send('hello')
    await chat.waitForAnswers(1)
    await page.getByTestId('export-menu').click()
    const choices = page.locator('.export-menu-items .button')
    await expect(choices).toHaveCount(3)
    const text = await page.getByTestId('composer-input').evaluate((element) => getComputedStyle(element).color)
    for (const colour of await choices.evaluateAll((nodes) => nodes.map((node) => getComputedStyle(node).color))) {
      expect(colour).toBe(text)
    }
  })
})
