import type { Page } from '@playwright/test'
import { expect, test, type ScriptedModels } from './chat-app'

// Issue 10 item 3, "Models in the chat": a model picker in the chat's header, its system prompt, temperature and max
// tokens under Advanced, each used by the next request (as the scripted server logged it), and the stats line under
// every answer.

/** The body of the last chat request (title requests left out). */
function lastChatRequest(scripted: ScriptedModels): Record<string, unknown> {
  const requests = scripted.server.requests.filter(
    (r) => r.path.endsWith('/chat/completions') && (r.body as { model?: unknown }).model !== 'small'
  )
  return requests.at(-1)?.body as Record<string, unknown>
}

const stats = (page: Page, index: number) => page.locator('[data-testid="message"][data-role="assistant"]').nth(index).getByTestId('answer-stats')

test.describe('models in the chat', () => {
  test.beforeEach(({ scripted }) => {
    scripted.server.setModels(['large', 'small', 'other'])
    scripted.answer(() => ({ tokens: ['An', ' answer', '.'], tokenDelayMs: 30, usage: { inputTokens: 12, outputTokens: 3 } }))
  })

  test('the stats line shows the model, tokens in and out, TTFT and tok/s, and survives a reload', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    const line = stats(page, 0)
    await expect(line.locator('[data-stat="model"]')).toHaveText('large')
    await expect(line.locator('[data-stat="tokens"]')).toHaveText('12 in · 3 out')
    await expect(line.locator('[data-stat="first-token"]')).toHaveText(/^TTFT \d+\.\d s$/)
    await expect(line.locator('[data-stat="speed"]')).toHaveText(/^\d+(\.\d)? tok\/s$/)

    await page.reload()
    await expect(stats(page, 0).locator('[data-stat="tokens"]')).toHaveText('12 in · 3 out')
    await expect(stats(page, 0).locator('[data-stat="speed"]')).toBeVisible()

    // Under the answer's first letter: the state and actions shown on hover come after it, not (unseen) before it.
    const answer = page.locator('[data-testid="message"][data-role="assistant"]').first()
    const textBox = await answer.getByTestId('message-text').boundingBox()
    const statsBox = await stats(page, 0).boundingBox()
    expect(Math.abs((statsBox?.x ?? Number.NaN) - (textBox?.x ?? Number.NaN))).toBeLessThan(1)
    await answer.hover()
    const runState = await answer.getByTestId('run-state').boundingBox()
    expect(runState?.x ?? Number.NaN).toBeGreaterThan((statsBox?.x ?? Number.NaN) + (statsBox?.width ?? Number.NaN) - 1)
  })

  test('picking another model in the header: the next request uses it, and its answer says so', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    expect(lastChatRequest(scripted)['model']).toBe('large')

    const picker = page.getByTestId('chat-model')
    await expect(picker.locator('option', { hasText: 'other' })).toHaveCount(1)
    await picker.selectOption({ label: 'other' })
    // The choice is shown once main has published it and Dexie has it.
    await expect(picker.locator('option:checked')).toHaveText('other')

    await chat.send('two')
    await chat.waitForAnswers(2)
    expect(lastChatRequest(scripted)['model']).toBe('other')
    await expect(stats(page, 1).locator('[data-stat="model"]')).toHaveText('other')

    // Main keeps it: after a reload the header still shows it.
    await page.reload()
    await expect(page.getByTestId('chat-model').locator('option:checked')).toHaveText('other')
  })

  test('the header names the default saved in Settings at once, in this tab and another, and offers no embedding model', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.server.setModels(['large', 'small', 'other', 'nomic-embed-text:latest'])
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    const other = await page.context().newPage()
    await other.goto(chat.url)
    await other.getByTestId('session-item').first().click()
    const defaults = [page, other].map((tab) => tab.getByTestId('chat-model').locator('option').first())
    for (const shown of defaults) await expect(shown).toHaveText('Default: large')
    await expect(page.getByTestId('chat-model').locator('option', { hasText: 'other' })).toHaveCount(1)
    await expect(page.getByTestId('chat-model').locator('option', { hasText: 'embed' })).toHaveCount(0)

    await page.getByTestId('settings-button').click()
    await page.getByTestId('settings-model').fill('other')
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')
    await page.getByTestId('settings-close').click()
    // No reload, no focus on the picker: main told both tabs of the save.
    for (const shown of defaults) await expect(shown).toHaveText('Default: other')
    await other.close()
  })

  test('a system prompt, temperature and max tokens set under Advanced reach the next request', async ({ chat, scripted }, testInfo) => {
    const { page } = chat
    await chat.open()
    await chat.send('one')
    await chat.waitForAnswers(1)
    expect(lastChatRequest(scripted)).not.toHaveProperty('temperature')

    await page.getByTestId('chat-advanced-toggle').click()
    const panel = page.getByTestId('chat-advanced')
    await panel.getByTestId('chat-temperature').fill('3')
    await panel.getByTestId('chat-advanced-save').click()
    await expect(panel.getByTestId('chat-advanced-error')).toHaveText('Temperature is a number from 0 to 2.')

    await panel.getByTestId('chat-system-prompt').fill('Answer like a pirate.')
    await panel.getByTestId('chat-temperature').fill('0.4')
    await panel.getByTestId('chat-max-tokens').fill('120')
    await panel.getByTestId('chat-advanced-save').click()
    await expect(panel).toHaveCount(0)

    await chat.send('two')
    await chat.waitForAnswers(2)
    const request = lastChatRequest(scripted)
    expect(request).toMatchObject({ temperature: 0.4, max_tokens: 120 })
    expect((request['messages'] as unknown[])[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' })

    await page.reload()
    await page.getByTestId('chat-advanced-toggle').click()
    await expect(page.getByTestId('chat-temperature')).toHaveValue('0.4')
    await expect(page.getByTestId('chat-system-prompt')).toHaveValue('Answer like a pirate.')
    await chat.screenshot(testInfo, 'chat-options')
  })
})
