import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type ChatPage } from './chat-app'

async function openSettings(chat: ChatPage): Promise<void> {
  await chat.page.getByTestId('settings-button').click()
  await expect(chat.page.getByTestId('settings-close-to-tray')).toBeVisible()
}

test.describe('the Desktop settings', () => {
  test('the tray and notification choices are saved by main and survive a reload', async ({ chat }) => {
    const { page } = chat
    const closeToTray = page.getByTestId('settings-close-to-tray')
    const notify = page.getByTestId('settings-notify')
    const onlyInBackground = page.getByTestId('settings-notify-background')
    await chat.open()
    await openSettings(chat)
    await expect(closeToTray).toBeChecked()
    await expect(notify).toBeChecked()
    await expect(onlyInBackground).toBeChecked()
    await expect(onlyInBackground).toBeEnabled()

    await closeToTray.uncheck()
    await notify.uncheck()
    await expect(onlyInBackground).toBeDisabled()
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')

    await page.reload()
    await openSettings(chat)
    await expect(closeToTray).not.toBeChecked()
    await expect(notify).not.toBeChecked()
    // Kept as it was while notifications are off.
    await expect(onlyInBackground).toBeChecked()
    await expect(onlyInBackground).toBeDisabled()

    await notify.check()
    await onlyInBackground.uncheck()
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')
    await page.reload()
    await openSettings(chat)
    await expect(closeToTray).not.toBeChecked()
    await expect(notify).toBeChecked()
    await expect(onlyInBackground).not.toBeChecked()

    const saved = JSON.parse(readFileSync(join(chat.dataDir, 'settings.json'), 'utf8')) as { desktop?: unknown }
    expect(saved.desktop).toEqual({ closeToTray: false, notifications: { enabled: true, onlyInBackground: false } })
  })

  test('browser mode warns, once a key is set, that keys are not well protected', async ({ chat }) => {
    await chat.open()
    await openSettings(chat)
    const warning = chat.page.getByTestId('settings-secrets-warning')
    // No key, nothing to protect: no warning.
    await expect(chat.page.getByTestId('settings-key-state')).toContainText('No key is set.')
    await expect(warning).toHaveCount(0)

    await chat.page.getByTestId('settings-api-key').fill('sk-test-warning')
    await chat.page.getByTestId('settings-save').click()
    await expect(chat.page.getByTestId('settings-key-state')).toContainText('A key is set.')
    await expect(warning).toBeVisible()
    await expect(warning).toContainText(/not well protected/i)
    await expect(warning).toContainText(/browser mode/i)
  })
})

test.describe('a settings file that cannot be read', () => {
  test.use({ dataDirFiles: { 'settings.json': '{ "providers": [ this is not JSON' } })

  test('shows a banner saying the defaults are in use and where the old file was kept', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer(() => ({ text: 'Still answering.' }))
    await chat.open()
    const banner = page.locator('[data-testid="banner"][data-notice="data-recovered"]')
    await expect(banner).toBeVisible()
    await expect(banner).toContainText('settings file damaged')
    await expect(banner).toContainText('default settings are in use')

    const kept = readdirSync(chat.dataDir).filter((name) => name.startsWith('settings.json.corrupt-'))
    expect(kept).toHaveLength(1)
    await expect(banner).toContainText(join(chat.dataDir, kept[0] ?? ''))
    expect(readFileSync(join(chat.dataDir, kept[0] ?? ''), 'utf8')).toContain('this is not JSON')

    // Parley goes on with the settings it started with.
    await chat.send('hello')
    await chat.waitForAnswers(1)

    await banner.getByRole('button', { name: 'Dismiss' }).click()
    await expect(banner).toHaveCount(0)
  })
})

test.describe('unseen answers', () => {
  test('an answer that finishes in a chat that is not open marks it until it is opened', async ({ chat, scripted }) => {
    // Nine steps through two chats and a reload: 12 s alone, past the 30 s default on a loaded 2-core CI machine.
    test.slow()
    const { page } = chat
    scripted.answer((prompt) => (prompt === 'slow' ? { text: 'Slow answer.', gate: 'slow' } : { text: `Re: ${prompt}` }))
    const row = (sessionId: string) => page.locator(`[data-testid="session-item"][data-session-id="${sessionId}"]`)
    await chat.open()

    // Chat A: an answer read as it arrives leaves no mark.
    await chat.send('hello')
    await chat.waitForAnswers(1)
    const a = (await page.getByTestId('session-item').first().getAttribute('data-session-id')) ?? ''
    await expect(row(a)).toHaveAttribute('data-unseen', 'false')

    // A slow answer in A, and meanwhile chat B is opened.
    await chat.send('slow')
    await scripted.waitForGate('slow')
    await page.getByTestId('new-session').click()
    await chat.send('in b')
    await expect(page.getByTestId('session-item')).toHaveCount(2)
    const b = (await page.locator(`[data-testid="session-item"]:not([data-session-id="${a}"])`).getAttribute('data-session-id')) ?? ''
    await chat.waitForAnswers(1)

    // A's answer finishes out of sight: A is marked, B (open) is not.
    scripted.release('slow')
    await expect(row(a)).toHaveAttribute('data-unseen', 'true')
    await expect(row(a).getByTestId('unseen-mark')).toBeVisible()
    await expect(row(b)).toHaveAttribute('data-unseen', 'false')
    await expect(row(b).getByTestId('unseen-mark')).toHaveCount(0)

    // Opening A clears the mark.
    await row(a).click()
    await chat.waitForAnswers(2)
    await expect(row(a)).toHaveAttribute('data-unseen', 'false')
    await expect(page.getByTestId('unseen-mark')).toHaveCount(0)

    // B becomes the latest chat, so the reloaded window opens B, not A: A's mark stays cleared on its own.
    await row(b).click()
    await chat.send('again')
    await chat.waitForAnswers(2)
    await page.reload()
    await expect(row(b)).toHaveClass(/selected/)
    await expect(row(a)).toBeVisible()
    await expect(row(a)).toHaveAttribute('data-unseen', 'false')
    await expect(page.getByTestId('unseen-mark')).toHaveCount(0)

    const sessions = ((await chat.storedTables())['sessions'] ?? []) as { id: string; unseenSeq?: number; seenSeq?: number }[]
    const stored = sessions.find((session) => session.id === a)
    expect(stored?.unseenSeq).toBeGreaterThan(0)
    expect(stored?.seenSeq).toBeGreaterThanOrEqual(stored?.unseenSeq ?? Infinity)
  })
})
