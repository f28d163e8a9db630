import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { expect, test } from './chat-app'

// Model servers on this machine (docs/agent-semantics.md C6, E2): llama.cpp's server answers `GET /v1/models` while it
// loads a model and `503 Loading model` to prompts. A prompt sent then waits, says why, and runs by itself.

const assistants = (page: Page): Locator => page.locator('[data-testid="message"][data-role="assistant"]')
const loadingMs = 20_000

test.describe('C6: a local model server still loading its model', () => {
  test('a prompt sent while it loads waits, the banner says the model is loading, and it runs by itself and answers', async ({
    chat,
    scripted
  }) => {
    test.setTimeout(60_000)
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
    await chat.open()
    scripted.server.loadModelFor(loadingMs)
    const began = Date.now()
    await chat.send('hello while loading')

    const banner = page.locator('[data-testid="banner"][data-notice="offline"]')
    await expect(banner).toContainText('Loading the model: 1 prompt waits, and runs by itself when the model is ready.')
    // The server's own words once, as the banner's detail; the waiting answer says only what it waits for.
    await expect(banner.getByTestId('banner-detail')).toHaveText('The server answered 503: Loading model.')
    const waiting = page.getByTestId('waiting-answer')
    await expect(waiting.getByTestId('run-state')).toHaveText('Waiting for the model to load…')
    await expect(waiting).not.toContainText('loading the model')
    // No failed answer is kept while it loads: the chat shows the prompt, and where its answer will come.
    await expect(assistants(page)).toHaveCount(0)

    // Nobody clicks anything: the prompt runs as soon as the server answers normally (a local server is tried every
    // 1–2 s), and the banner goes.
    await expect(page.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]')).toHaveCount(1, {
      timeout: loadingMs + 15_000
    })
    const waited = Date.now() - began
    expect(waited).toBeGreaterThanOrEqual(loadingMs - 1_000)
    await expect(banner).toHaveCount(0)
    await expect(waiting).toHaveCount(0)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'hello while loading', finish: '' },
      { role: 'assistant', text: 'Answer to hello while loading.', finish: 'end_turn' }
    ])
    const runId = (await assistants(page).first().getAttribute('data-run-id')) ?? ''
    await expect.poll(() => chat.runCompletes(runId)).toEqual([expect.not.objectContaining({ error: expect.anything() })])
    // E2: the title was asked for after the answer, so it was never refused as "loading" and is the model's.
    await expect(page.getByTestId('session-title').first()).toHaveText('A test chat')
    test.info().annotations.push({ type: 'waited', description: `${waited} ms from send to the answer` })
  })
})
