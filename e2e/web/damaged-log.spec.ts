import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sendPrompt } from '../fixtures/chat-window'
import { expect, readStoredHistory, test, watchBridge } from './host-process'

// "Bad input loses nothing: files on disk, the database." Main's message store (its lmdb log) is damaged while
// Parley is down. Main sets it aside and starts a new, empty one; the window, which holds a copy of every chat, gives
// it back, so the next answer in an old chat is asked with that chat's earlier messages (rule H1).

test("a damaged message store: the window's copy goes back to main, and the next turn in an old chat reads it", async ({ page, host, scripted }) => {
  test.setTimeout(60_000)
  scripted.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
  const bridge = watchBridge(page)
  await page.goto(host.url)
  await sendPrompt(page, 'first question')
  await expect(page.getByText('Answer to first question.')).toBeVisible()
  // The window has taken in and acknowledged everything: main's journal lets the events go, so only its log has them.
  await expect
    .poll(
      async () => {
        const stored = await readStoredHistory(page)
        const answered = stored.messages.some((m) => m.role === 'assistant' && m.status === 'finished')
        return answered && stored.lastAppliedSeq > 0 && bridge.acknowledgedSeq >= stored.lastAppliedSeq
      },
      { timeout: 10_000 }
    )
    .toBe(true)

  await host.kill()
  writeFileSync(join(host.dataDir, 'session-log', 'data.mdb'), Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 131 + 7) % 256)))
  await host.restart()

  // The open page reconnects by itself and gives its copy back, saying what main got back; reloaded, it finds the same
  // chat (nothing rebuilt away).
  await expect(page.locator('[data-testid="banner"][data-notice="copy-back"]')).toContainText('Parley has its chats again: 2 messages put back', {
    timeout: 20_000
  })
  await page.reload()
  await expect(page.getByText('Answer to first question.')).toBeVisible()
  await expect(page.locator('[data-testid="banner"][data-notice="data-recovered"]')).toContainText('fills it again from this window’s copy')
  await sendPrompt(page, 'second question')
  await expect(page.getByText('Answer to second question.')).toBeVisible({ timeout: 15_000 })
  expect(scripted.chatRequests().at(-1)?.messages.filter((m) => m.role !== 'system')).toEqual([
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: 'Answer to first question.' },
    { role: 'user', content: 'second question' }
  ])
})
