import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startScriptedServer, unusedPort, type ScriptedServer } from '../fixtures/scripted-server'
import { expect, test, type ChatPage } from './chat-app'

function savedSettings(chat: ChatPage): { models: { large: { providerId: string; model: string } }; providers: { id: string; baseUrl: string }[] } {
  return JSON.parse(readFileSync(join(chat.dataDir, 'settings.json'), 'utf8')) as ReturnType<typeof savedSettings>
}

/**
 * A fresh install's settings, except that "Ollama" listens on a port nothing answers on (until the test starts a
 * server there): the describe's tests get that port from the returned function.
 */
function useOllamaOnUnusedPort(): () => number {
  let port = 0
  test.use({
    dataDirFiles: async ({}, use) => {
      port = await unusedPort()
      const settings = {
        providers: [{ id: 'ollama', kind: 'openai', name: 'Ollama (local)', baseUrl: `http://127.0.0.1:${port}/v1` }],
        models: { large: { providerId: 'ollama', model: 'llama3.2' } }
      }
      await use({ 'settings.json': JSON.stringify(settings) })
    }
  })
  return () => port
}

test.describe('the welcome, with Ollama not running', () => {
  const ollamaPort = useOllamaOnUnusedPort()

  test('says how to get Ollama before anything is sent, then Check again picks its first model and Say hello gets an answer', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    const welcome = page.getByTestId('welcome')
    await expect(welcome).toHaveAttribute('data-step', 'failed')
    const steps = page.getByTestId('welcome-ollama-steps')
    await expect(steps).toContainText('ollama pull llama3.2')
    await expect(steps.getByRole('link', { name: 'ollama.com' })).toHaveAttribute('href', 'https://ollama.com')
    await expect(page.getByTestId('welcome-finding')).toContainText(`Ollama isn’t answering at http://127.0.0.1:${ollamaPort()}/v1`)
    await expect(page.getByTestId('session-item')).toHaveCount(0)

    let ollama: ScriptedServer | undefined
    try {
      // "Ollama" starts, with models other than the configured llama3.2.
      ollama = await startScriptedServer({ port: ollamaPort(), models: ['qwen3:4b', 'gemma3'], defaultReply: { text: 'Hello! I am a scripted model.' } })
      await page.getByTestId('welcome-check-again').click()
      await expect(welcome).toHaveAttribute('data-step', 'ready')
      await expect(page.getByTestId('welcome-model')).toHaveText('qwen3:4b')
      await expect.poll(() => savedSettings(chat).models.large.model).toBe('qwen3:4b')

      // One keypress: Say hello has the focus.
      await expect(page.getByTestId('welcome-say-hello')).toBeFocused()
      await page.keyboard.press('Enter')
      await chat.waitForAnswers(1)
      await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('Hello! I am a scripted model.')
      await expect(welcome).toHaveCount(0)
      const chatRequest = ollama.requests.find((request) => request.path === '/v1/chat/completions')
      expect((chatRequest?.body as { model?: string }).model).toBe('qwen3:4b')
    } finally {
      await ollama?.close()
    }
  })
})

test.describe('the welcome, with a local server still loading its model (C6)', () => {
  const ollamaPort = useOllamaOnUnusedPort()

  test('C6: says the model is loading, not ready, while the server answers 503, then that it is ready by itself', async ({ chat }) => {
    // Like llama.cpp's server: the model list answers, prompts and its health check get "503 Loading model".
    const server = await startScriptedServer({ port: ollamaPort(), models: ['llama3.2'], loadingMs: 60_000 })
    try {
      const { page } = chat
      await chat.open()
      const finding = page.getByTestId('welcome-finding')
      await expect(finding).toContainText('Ollama (local) is loading its model.')
      await expect(finding).toContainText('The server answered 503: Loading model.')
      await expect(finding).not.toContainText('is ready')
      // Say hello is there all the same: a prompt sent now waits for the model (C6).
      await expect(page.getByTestId('welcome-say-hello')).toBeVisible()
      server.loadModelFor(0)
      // Nobody presses anything: the welcome checks again by itself.
      await expect(finding).toContainText('Ollama (local) is ready.', { timeout: 10_000 })
      await expect(finding).not.toHaveAttribute('data-loading', 'true')
    } finally {
      await server.close()
    }
  })
})

test.describe('the welcome, with Ollama running and its model not in memory yet (C6)', () => {
  const ollamaPort = useOllamaOnUnusedPort()

  test('C6: says the first answer loads the model, not that it is ready; Say hello then shows Ollama loading it, and the answer', async ({ chat }) => {
    // Like Ollama: /api/ps lists nothing until a prompt comes; that prompt is held while the model loads.
    const server = await startScriptedServer({
      port: ollamaPort(),
      models: ['llama3.2'],
      defaultReply: { text: 'Hello! I am a scripted model.' },
      loadOnFirstAnswer: { engine: 'ollama', ms: 5_000 }
    })
    try {
      const { page } = chat
      await chat.open()
      const finding = page.getByTestId('welcome-finding')
      await expect(finding).toHaveText(
        'Ollama (local) is running. llama3.2 will answer. It isn’t in memory yet: the first answer loads it, so it takes longer. Say hello to start your first chat.'
      )
      await expect(finding).toHaveAttribute('data-first-answer-loads', 'true')
      await page.getByTestId('welcome-say-hello').click()
      const awaited = page.getByTestId('awaited-answer')
      await expect(awaited.getByTestId('run-state')).toHaveText('Ollama is loading llama3.2 into memory (the first answer after a start takes longer).')
      await chat.waitForAnswers(1)
      await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('Hello! I am a scripted model.')
      await expect(awaited).toHaveCount(0)
    } finally {
      await server.close()
    }
  })
})

test.describe('the welcome, with the configured server down or empty and LM Studio running', () => {
  let ollamaPort = 0
  test.use({
    providerUrl: async ({}, use) => {
      ollamaPort = await unusedPort()
      await use(`http://127.0.0.1:${ollamaPort}/v1`)
    }
  })

  for (const ollama of ['down', 'without models'] as const) {
    test(`Ollama ${ollama}: finds the server running on this computer and answers with it in one click, its chat model picked`, async ({ chat, page }) => {
      // LM Studio at another port than its usual 1234 (the page's test seam says where to look; ports here may be taken).
      const lmStudio = await startScriptedServer({ models: ['text-embedding-nomic-embed-text-v1.5', 'qwen2.5-7b-instruct'], defaultReply: { text: 'Hello from LM Studio.' } })
      const running = ollama === 'down' ? undefined : await startScriptedServer({ port: ollamaPort, models: [] })
      try {
        await page.addInitScript((url) => {
          Reflect.set(globalThis, '__parleyTestHooks', { localServers: { 'lm-studio': url, 'llama-cpp': 'http://127.0.0.1:9/v1' } })
        }, lmStudio.url)
        await chat.open()
        const welcome = page.getByTestId('welcome')
        await expect(welcome).toHaveAttribute('data-step', ollama === 'down' ? 'failed' : 'no-models')
        const found = page.getByTestId('welcome-found-server')
        // The closed port offers nothing; LM Studio is named with where it is and what it has.
        await expect(found).toHaveCount(1)
        await expect(found).toContainText(`LM Studio at ${lmStudio.url}, with 2 models`)
        await found.getByTestId('welcome-use-found').click()
        await expect(welcome).toHaveAttribute('data-step', 'ready')
        await expect(page.getByTestId('welcome-found')).toHaveCount(0)
        // Not the embedding model, which can't chat.
        await expect(page.getByTestId('welcome-model')).toHaveText('qwen2.5-7b-instruct')
        const saved = savedSettings(chat)
        expect(saved.models.large).toMatchObject({ providerId: 'lm-studio', model: 'qwen2.5-7b-instruct' })
        expect(saved.providers.find((provider) => provider.id === 'lm-studio')?.baseUrl).toBe(lmStudio.url)

        await page.getByTestId('welcome-say-hello').click()
        await chat.waitForAnswers(1)
        await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('Hello from LM Studio.')
        expect(lmStudio.requests.some((request) => request.path === '/v1/chat/completions')).toBe(true)
      } finally {
        await lmStudio.close()
        await running?.close()
      }
    })
  }
})

test.describe('the welcome, with another server', () => {
  let downPort = 0
  test.use({
    providerUrl: async ({}, use) => {
      downPort = await unusedPort()
      await use(`http://127.0.0.1:${downPort}/v1`)
    }
  })

  test('a server that is not Ollama is named, and a custom URL connects with the same provider form', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Hi! You said: ${prompt}` }))
    await chat.open()
    await expect(page.getByTestId('welcome')).toHaveAttribute('data-step', 'failed')
    await expect(page.getByTestId('welcome-finding')).toContainText("couldn't reach the model server")
    await expect(page.getByTestId('welcome-ollama-steps')).toHaveCount(0)

    await page.getByTestId('welcome-use-other').click()
    await page.getByTestId('welcome-preset').selectOption('custom')
    await page.getByTestId('welcome-add-provider').click()
    await expect(page.getByTestId('welcome-key-state')).toContainText('An API key only if your server asks for one.')
    await page.getByTestId('welcome-base-url').fill(scripted.server.url)
    await page.getByTestId('welcome-connect').click()
    await expect(page.getByTestId('welcome')).toHaveAttribute('data-step', 'ready')
    await expect(page.getByTestId('welcome-model')).toHaveText('large')
    const saved = savedSettings(chat)
    expect(saved.models.large).toMatchObject({ providerId: 'custom', model: 'large' })
    expect(saved.providers.map((provider) => provider.baseUrl)).toEqual([`http://127.0.0.1:${downPort}/v1`, scripted.server.url])

    await page.getByTestId('welcome-say-hello').click()
    await chat.waitForAnswers(1)
    await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('Hi! You said: Hello!')
  })

  test('a server fixed in Settings is checked again when Settings closes, keeping the model chosen there', async ({ chat, scripted }) => {
    const { page } = chat
    await chat.open()
    await expect(page.getByTestId('welcome')).toHaveAttribute('data-step', 'failed')
    await page.getByTestId('settings-button').click()
    await page.getByTestId('settings-base-url').fill(scripted.server.url)
    // A model the server doesn't list, chosen by the person: the welcome keeps it rather than picking the server's first.
    await page.getByTestId('settings-model').fill('my-own-model')
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.')
    await page.getByTestId('settings-close').click()
    await expect(page.getByTestId('welcome')).toHaveAttribute('data-step', 'ready')
    await expect(page.getByTestId('welcome-model')).toHaveText('my-own-model')
    await expect(page.getByTestId('welcome-finding')).toContainText('the server doesn’t list it')
    expect(savedSettings(chat).models.large.model).toBe('my-own-model')
  })
})

test.describe('Settings, with a server started after the first run', () => {
  test('"Look for servers on this computer" finds it, adds it as a provider, and the list shows where it is; then it says it is added', async ({ chat, page }) => {
    // LM Studio at another port than its usual 1234 (the page's test seam says where to look; ports here may be taken).
    const lmStudio = await startScriptedServer({ models: ['qwen2.5-7b-instruct'], defaultReply: { text: 'Hello from LM Studio.' } })
    try {
      await page.addInitScript((url) => {
        Reflect.set(globalThis, '__parleyTestHooks', { localServers: { 'lm-studio': url, 'llama-cpp': 'http://127.0.0.1:9/v1' } })
      }, lmStudio.url)
      await chat.open()
      await page.getByTestId('settings-button').click()
      const items = page.getByTestId('settings-provider-item')
      // The saved providers are shown first (the settings are read as the panel opens).
      await expect(items.first()).toBeVisible()
      const before = await items.count()
      await page.getByTestId('settings-look-local').click()
      const found = page.getByTestId('settings-found-server')
      await expect(found).toHaveCount(1)
      await expect(found).toContainText(`LM Studio at ${lmStudio.url}, with 1 model`)
      await found.getByTestId('settings-use-found').click()
      await expect(items).toHaveCount(before + 1)
      await expect(items.filter({ hasText: 'LM Studio' })).toContainText(new URL(lmStudio.url).host)
      await expect(items.filter({ hasText: 'LM Studio' })).toHaveAttribute('aria-pressed', 'true')
      // Once added, it says so rather than offering Add again.
      await expect(found.getByTestId('settings-found-added')).toHaveText('Already added as LM Studio')
      await expect(found.getByTestId('settings-use-found')).toHaveCount(0)
      await expect(items).toHaveCount(before + 1)
    } finally {
      await lmStudio.close()
    }
  })
})
