import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect } from '@playwright/test'
import { sendPrompt, transcript } from '../fixtures/chat-window'
import { chatModel, scriptedModelsFixture, titleModel, type ScriptedModels } from '../fixtures/scripted-models'
import { expectExit, startWebApp, stopWebApp, type StartedWebApp } from './web-app'

// Browser mode started the way people start it (`npm run web`: no port, no token asked for) is at the same address
// after a crash: the page left open reconnects by itself, and its storage (per origin, and the origin is the port) is
// found again after a reload: the chat and the unsent prompt.

const test = base.extend<{ scripted: ScriptedModels }>({ scripted: scriptedModelsFixture })

test('browser mode started again after a SIGKILL is at the same address: the open page goes on, a reload finds its draft', async ({
  page,
  scripted
}) => {
  test.setTimeout(60_000)
  scripted.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-kept-'))
  // PARLEY_PORT '' is "not given" (the test harness's own default is a free port each time).
  const env = { PARLEY_DATA_DIR: dataDir, PARLEY_PORT: '', PARLEY_PROVIDER_URL: scripted.server.url, PARLEY_MODEL: chatModel, PARLEY_SMALL_MODEL: titleModel }
  let server: StartedWebApp | undefined
  try {
    server = await startWebApp(env)
    const firstUrl = server.url
    await page.goto(firstUrl)
    await sendPrompt(page, 'before the crash')
    await expect(page.getByText('Answer to before the crash.')).toBeVisible()

    expectExit(server.server)
    const exited = new Promise((resolve) => server?.server.once('exit', resolve))
    server.server.kill('SIGKILL')
    await exited
    server = await startWebApp(env)
    expect(server.url).toBe(firstUrl)

    // The page was not reloaded: it reconnects to the same address by itself and goes on.
    await sendPrompt(page, 'after the crash')
    await expect(page.getByText('Answer to after the crash.')).toBeVisible({ timeout: 15_000 })
    await page.getByTestId('composer-input').fill('words not sent yet')

    await page.reload()
    await expect(page.getByTestId('composer-input')).toHaveValue('words not sent yet')
    await expect.poll(() => transcript(page)).toEqual([
      { role: 'user', text: 'before the crash', finish: '' },
      { role: 'assistant', text: 'Answer to before the crash.', finish: 'end_turn' },
      { role: 'user', text: 'after the crash', finish: '' },
      { role: 'assistant', text: 'Answer to after the crash.', finish: 'end_turn' }
    ])
  } finally {
    if (server) await stopWebApp(server.server)
    rmSync(dataDir, { recursive: true, force: true })
  }
})
