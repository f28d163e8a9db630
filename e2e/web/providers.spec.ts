import { startScriptedServer, unusedPort, type ScriptedServer } from '../fixtures/scripted-server'
import { expect, test, type ChatPage } from './chat-app'

async function openSettings(chat: ChatPage): Promise<void> {
  await chat.page.getByTestId('settings-button').click()
  await expect(chat.page.getByTestId('settings-provider-list')).toBeVisible()
}

async function saveAndClose(chat: ChatPage): Promise<void> {
  await chat.page.getByTestId('settings-save').click()
  await expect(chat.page.getByTestId('settings-feedback')).toHaveText('Saved.')
  await chat.page.getByTestId('settings-close').click()
  await expect(chat.page.getByTestId('settings-provider-list')).toHaveCount(0)
}

async function addPreset(chat: ChatPage, presetId: string): Promise<void> {
  await chat.page.getByTestId('settings-preset').selectOption(presetId)
  await chat.page.getByTestId('settings-add-provider').click()
}

const chatPaths = (server: ScriptedServer): string[] =>
  server.requests.filter((request) => request.method === 'POST').map((request) => request.path)

test.describe('providers in Settings', () => {
  test('Test checks the URL as typed, not the saved one, for a provider saved or added from a preset', async ({ chat }) => {
    const { page } = chat
    const refused = `http://127.0.0.1:${await unusedPort()}/v1`
    await chat.open()
    await openSettings(chat)
    const probe = page.getByTestId('settings-probe')
    await page.getByTestId('settings-test').click()
    await expect(probe).toContainText('Connected: the server offers 2 model(s).')

    await page.getByTestId('settings-base-url').fill(refused)
    await page.getByTestId('settings-test').click()
    await expect(probe).toContainText(`couldn't reach the model server at ${refused}`)

    await addPreset(chat, 'lm-studio')
    await expect(page.getByTestId('settings-base-url')).toHaveValue('http://127.0.0.1:1234/v1')
    await expect(page.getByTestId('settings-key-state')).toContainText('No API key needed.')
    await page.getByTestId('settings-base-url').fill(refused)
    await page.getByTestId('settings-test').click()
    await expect(probe).toContainText("couldn't reach")
  })

  test('an Anthropic provider added with a key answers through /v1/messages', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Anthropic heard: ${prompt}` }))
    await chat.open()
    await openSettings(chat)
    await addPreset(chat, 'anthropic')
    await expect(page.getByTestId('settings-base-url')).toHaveValue('https://api.anthropic.com')
    await expect(page.getByTestId('settings-key-state')).toContainText('Needs an API key.')
    // The Anthropic SDK appends /v1/messages to the base URL.
    await page.getByTestId('settings-base-url').fill(scripted.server.origin)
    await page.getByTestId('settings-api-key').fill('sk-ant-test-123')
    await page.getByTestId('settings-test').click()
    await expect(page.getByTestId('settings-probe')).toContainText('Connected')

    await page.getByTestId('settings-model-provider').selectOption('anthropic')
    await page.getByTestId('settings-load-models').click()
    await expect(page.getByTestId('settings-model-status')).toContainText('Anthropic offers 2 model(s).')
    await page.getByTestId('settings-model').fill('large')
    await saveAndClose(chat)

    await chat.send('hi there')
    await chat.waitForAnswers(1)
    await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toContainText('Anthropic heard: hi there')
    const request = scripted.server.requests.find((r) => r.path === '/v1/messages')
    // The Anthropic SDK sends the key as x-api-key or as a bearer token, by version.
    expect(`${request?.headers['x-api-key'] ?? ''} ${request?.headers.authorization ?? ''}`).toContain('sk-ant-test-123')
    expect(request?.headers['user-agent']).toMatch(/^Anthropic\//)
    expect((request?.body as { model?: string }).model).toBe('large')
  })

  test('switching the model that answers between two providers: the next answer comes from the other', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer(() => ({ text: 'From the first server.' }))
    const second = await startScriptedServer({ models: ['second-model'], defaultReply: { text: 'From the second server.' } })
    try {
      await chat.open()
      await openSettings(chat)
      await addPreset(chat, 'custom')
      await page.getByTestId('settings-provider-name').fill('Second server')
      await page.getByTestId('settings-base-url').fill(second.url)
      await page.getByTestId('settings-model-provider').selectOption('custom')
      await page.getByTestId('settings-load-models').click()
      await expect(page.getByTestId('settings-model-status')).toContainText('Second server offers 1 model(s).')
      await page.getByTestId('settings-model').fill('second-model')
      await saveAndClose(chat)

      await chat.send('one')
      await chat.waitForAnswers(1)
      await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText('From the second server.')
      expect(chatPaths(second)).toContain('/v1/chat/completions')
      expect(scripted.chatRequests()).toHaveLength(0)

      await openSettings(chat)
      await page.getByTestId('settings-model-provider').selectOption('ollama')
      await page.getByTestId('settings-model').fill('large')
      await saveAndClose(chat)
      const secondBefore = chatPaths(second).length
      await chat.send('two')
      await chat.waitForAnswers(2)
      await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText('From the first server.')
      expect(scripted.chatRequests()).toHaveLength(1)
      expect(chatPaths(second)).toHaveLength(secondBefore)
    } finally {
      await second.close()
    }
  })

  test('the provider that answers cannot be removed, and closing with unsaved edits asks first', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await openSettings(chat)
    await page.getByTestId('settings-remove-provider').click()
    await expect(page.getByTestId('settings-feedback')).toContainText('answers your prompts: choose another provider for the model first')
    await expect(page.getByTestId('settings-provider-item')).toHaveCount(1)

    const systemPrompt = page.getByTestId('settings-system-prompt')
    await systemPrompt.fill('Answer in French.')
    const confirm = page.getByTestId('settings-discard-confirm')
    await page.getByTestId('settings-close').click()
    await expect(confirm).toContainText('Discard unsaved changes?')
    await expect(page.getByTestId('settings-keep-editing')).toBeFocused()
    await page.getByTestId('settings-keep-editing').click()
    await expect(confirm).toHaveCount(0)
    await expect(systemPrompt).toHaveValue('Answer in French.')

    // Esc asks too, and Esc again keeps editing; a click outside asks, and Discard drops the edits.
    await page.keyboard.press('Escape')
    await expect(confirm).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(confirm).toHaveCount(0)
    await expect(systemPrompt).toHaveValue('Answer in French.')
    await page.mouse.click(5, 5)
    await expect(confirm).toBeVisible()
    await page.getByTestId('settings-discard').click()
    await expect(page.getByTestId('settings-provider-list')).toHaveCount(0)

    await openSettings(chat)
    await expect(systemPrompt).toHaveValue('')
    // Nothing edited: closing does not ask.
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('settings-provider-list')).toHaveCount(0)
  })
})
