import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { chatModel } from '../fixtures/scripted-models'
import { expect, test, type ChatPage, type ScriptedModels } from './chat-app'

// Model servers on this machine (docs/agent-semantics.md C6, E2): llama.cpp's server answers `GET /v1/models` while it
// loads a model and `503 Loading model` to prompts. A prompt sent then waits, says why, and runs by itself.

const assistants = (page: Page): Locator => page.locator('[data-testid="message"][data-role="assistant"]')
const loadingMs = 20_000

/** The chat open, its model answering each prompt with "Answer to …", given a minute (a model loads first). */
async function openAnswering(chat: ChatPage, scripted: ScriptedModels): Promise<Page> {
  test.setTimeout(60_000)
  scripted.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
  await chat.open()
  return chat.page
}

/** What main says while Ollama or LM Studio loads the chat's model into memory. */
const intoMemory = (name: string): string => `${name} is loading ${chatModel} into memory (the first answer after a start takes longer).`

test.describe('C6: a local model server still loading its model', () => {
  test('a prompt sent while it loads waits, the banner says the model is loading, and it runs by itself and answers', async ({
    chat,
    scripted
  }) => {
    const page = await openAnswering(chat, scripted)
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

// Ollama and LM Studio (JIT loading) load a model when the first request for it comes, and hold that request meanwhile
// (no 503): main asks them after 1.5 s without a byte, and the waiting answer says so until the answer starts.
test.describe('C6: a prompt Ollama or LM Studio holds while it loads the model into memory', () => {
  for (const [engine, name] of [['ollama', 'Ollama'], ['lm-studio', 'LM Studio']] as const) {
    test(`${name}: the waiting answer says the model is being loaded, the answer replaces it, and the next prompt says nothing of it`, async ({
      chat,
      scripted
    }) => {
      const page = await openAnswering(chat, scripted)
      scripted.server.loadOnFirstAnswer({ engine, ms: 6_000 })
      await chat.send('hello while it loads')

      const awaited = page.getByTestId('awaited-answer')
      await expect(awaited.getByTestId('run-state')).toHaveText(intoMemory(name))
      await expect(awaited).toHaveAttribute('data-loading', 'true')
      // Not a server that is down or answers 503: no banner.
      await expect(page.locator('[data-testid="banner"][data-notice="offline"]')).toHaveCount(0)

      // The held request is answered once the model is in memory: the sentence goes with the waiting answer.
      await chat.waitForAnswers(1)
      await expect(awaited).toHaveCount(0)
      await chat.send('and again')
      await chat.waitForAnswers(2)
      expect(await transcript(page)).toEqual([
        { role: 'user', text: 'hello while it loads', finish: '' },
        { role: 'assistant', text: 'Answer to hello while it loads.', finish: 'end_turn' },
        { role: 'user', text: 'and again', finish: '' },
        { role: 'assistant', text: 'Answer to and again.', finish: 'end_turn' }
      ])
      // Said once, for the first prompt's run only.
      const loadingSaid = chat.framesReceived.filter((frame) => frame.includes('"type":"run.loading"'))
      expect(loadingSaid).toHaveLength(1)
      const runId = (await page.locator('[data-testid="message"][data-role="assistant"]').first().getAttribute('data-run-id')) ?? ''
      expect(loadingSaid[0]).toContain(`"runId":"${runId}"`)
    })
  }

  test('Ollama: a page reloaded while the model loads says so again at once, from main\'s status (its event is older than the page)', async ({
    chat,
    scripted
  }) => {
    const page = await openAnswering(chat, scripted)
    scripted.server.loadOnFirstAnswer({ engine: 'ollama', ms: 10_000 })
    await chat.send('hello while it loads')
    const sentence = intoMemory('Ollama')
    await expect(page.getByTestId('awaited-answer').getByTestId('run-state')).toHaveText(sentence)

    await page.reload()
    // The same chat opens; its waiting answer says the sentence again, not "Waiting for the model…".
    const awaited = page.getByTestId('awaited-answer')
    await expect(awaited.getByTestId('run-state')).toHaveText(sentence, { timeout: 5_000 })
    await expect(awaited).toHaveAttribute('data-loading', 'true')

    await chat.waitForAnswers(1)
    await expect(awaited).toHaveCount(0)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'hello while it loads', finish: '' },
      { role: 'assistant', text: 'Answer to hello while it loads.', finish: 'end_turn' }
    ])
  })
})
