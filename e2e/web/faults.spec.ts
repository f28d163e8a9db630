import type { Locator, Page } from '@playwright/test'
import { transcript } from '../fixtures/chat-window'
import { scriptedModels, type ScriptedModels } from '../fixtures/scripted-models'
import { startScriptedServer, unusedPort, type ScriptedReply, type ScriptedServer } from '../fixtures/scripted-server'
import { expect, test, type ChatPage } from './chat-app'

// Faults the window must come through whole (docs/agent-semantics.md C3–C5, F3): a reload mid-answer, a model
// server that is down, every fault the scripted server can inject, and a storage that refuses writes.

const assistants = (page: Page): Locator => page.locator('[data-testid="message"][data-role="assistant"]')

interface StoredRow {
  id: string
  role: string
  runId: string
  status: string
  parts: { type: string; text: string }[]
}

const textOf = (row: StoredRow): string => row.parts.filter((part) => part.type === 'text').map((part) => part.text).join('')

async function storedRows(chat: ChatPage): Promise<StoredRow[]> {
  return ((await chat.storedTables())['messages'] ?? []) as StoredRow[]
}

/** The RunCompletes the page received, whatever their run (`chat.runCompletes` takes one runId). */
function allRunCompletes(chat: ChatPage): { runId: string; error?: string }[] {
  const completes: { runId: string; error?: string }[] = []
  for (const payload of chat.framesReceived) {
    const frame = JSON.parse(payload) as { event?: { type?: string; complete?: { runId: string; error?: string } } }
    if (frame.event?.type === 'run.complete' && frame.event.complete) completes.push(frame.event.complete)
  }
  return completes
}

test.describe('F3: a reload in the middle of an answer', () => {
  test('after the reload the whole answer is there exactly once: no gap, no duplicate, in the window and in IndexedDB', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    const tokens = Array.from({ length: 120 }, (_, i) => (i === 0 ? 'w0' : ` w${i}`))
    const full = tokens.join('')
    scripted.answer(() => ({ tokens, tokenDelayMs: 30 }))
    await chat.open()
    await chat.send('count to 120')

    const answer = assistants(page).first()
    await expect(answer.getByTestId('message-text')).toContainText('w10')
    await expect(answer).toHaveAttribute('data-status', 'streaming')
    const runId = await answer.getAttribute('data-run-id')
    await page.reload()

    // While the rest streams in, what the window shows is always the start of the answer: nothing skipped.
    const shown = page.locator('[data-testid="message"][data-role="assistant"] [data-testid="message-text"]')
    await expect(shown).toHaveCount(1)
    for (let look = 0; look < 5; look++) {
      const text = ((await shown.textContent()) ?? '').trim()
      expect(full.startsWith(text), `"${text.slice(-40)}" is not the start of the answer`).toBe(true)
    }
    await chat.waitForAnswers(1)
    await expect(shown).toHaveText(full)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'count to 120', finish: '' },
      { role: 'assistant', text: full, finish: 'end_turn' }
    ])

    const rows = await storedRows(chat)
    expect(rows.map((row) => row.role).sort()).toEqual(['assistant', 'user'])
    const stored = rows.find((row) => row.role === 'assistant')
    expect(stored && textOf(stored)).toBe(full)
    expect(stored?.status).toBe('finished')
    await expect.poll(() => chat.runCompletes(runId ?? '').length).toBe(1)
    expect(scripted.chatRequests()).toHaveLength(1)
  })
})

/** A model server that is down when the test starts, and can be started on the same port later. */
interface LateServer {
  readonly url: string
  start(): Promise<ScriptedModels>
}

const withServerDown = test.extend<{ lateServer: LateServer }>({
  lateServer: async ({}, use) => {
    const port = await unusedPort()
    let server: ScriptedServer | undefined
    try {
      await use({
        url: `http://127.0.0.1:${port}/v1`,
        start: async () => {
          server = await startScriptedServer({ port })
          return scriptedModels(server)
        }
      })
    } finally {
      await server?.close()
    }
  },
  providerUrl: async ({ lateServer }, use) => {
    await use(lateServer.url)
  }
})

withServerDown.describe('C3: an unreachable model server', () => {
  withServerDown(
    'prompts sent while it is down wait, then run in order, each with exactly one RunComplete',
    async ({ chat, lateServer, context }) => {
      const { page } = chat
      await chat.open()
      await chat.send('first')
      await chat.send('second')

      const banner = page.locator('[data-testid="banner"][data-notice="offline"]')
      await expect(banner).toContainText('Offline: 2 prompts waiting.')
      await expect(banner).toContainText('connection refused')
      await expect(banner.getByTestId('probe-now')).toBeVisible()
      // `first` ran once, so its user message is in the chat and it waits there; `second` waits as a chip.
      await expect(page.getByTestId('waiting-answer')).toHaveCount(1)
      await expect(page.getByTestId('waiting-answer').getByTestId('run-state')).toHaveText('Waiting for the model…')
      const chip = page.getByTestId('queued-chip')
      await expect(chip).toHaveCount(1)
      await expect(chip).toHaveAttribute('data-state', 'waiting')
      await expect(chip.getByTestId('chip-state')).toHaveText('Waiting')
      await expect(chip.getByTestId('chip-text')).toHaveText('second')
      await expect(assistants(page)).toHaveCount(0)
      expect(await transcript(page)).toEqual([{ role: 'user', text: 'first', finish: '' }])

      // The OS says the network went away and came back: the window's `online` event makes main probe at once. If
      // main's own backoff finds the server first, the event changes nothing.
      await context.setOffline(true)
      const models = await lateServer.start()
      models.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
      await context.setOffline(false)

      await chat.waitForAnswers(2)
      await expect(banner).toHaveCount(0)
      await expect(page.getByTestId('queued-chip')).toHaveCount(0)
      expect(await transcript(page)).toEqual([
        { role: 'user', text: 'first', finish: '' },
        { role: 'assistant', text: 'Answer to first.', finish: 'end_turn' },
        { role: 'user', text: 'second', finish: '' },
        { role: 'assistant', text: 'Answer to second.', finish: 'end_turn' }
      ])
      // In order: the second request already carries the first turn.
      const requests = models.chatRequests().map((request) => request.messages.filter((m) => m.role !== 'system'))
      expect(requests).toEqual([
        [{ role: 'user', content: 'first' }],
        [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'Answer to first.' },
          { role: 'user', content: 'second' }
        ]
      ])
      const runIds = await assistants(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-run-id') ?? ''))
      expect(new Set(runIds).size).toBe(2)
      for (const runId of runIds) {
        await expect.poll(() => chat.runCompletes(runId)).toEqual([expect.not.objectContaining({ error: expect.anything() })])
      }
      expect((await storedRows(chat)).length).toBe(4)
    }
  )
})

/**
 * Clicks the offline banner's "Try now", so main probes at once instead of waiting out its backoff. If the backoff
 * found the server first, the banner is already gone, and that is the only other outcome accepted.
 */
async function tryNow(page: Page): Promise<void> {
  const button = page.getByTestId('probe-now')
  try {
    await button.click({ timeout: 2000 })
  } catch {
    await expect(button).toHaveCount(0)
  }
}

withServerDown.describe('C3, D2: waiting prompts stay removable', () => {
  withServerDown('one waiting in the chat and one waiting as a chip are removed; only the one kept runs', async ({ chat, lateServer }) => {
    const { page } = chat
    await chat.open()
    await chat.send('first')
    await chat.send('second')
    await chat.send('third')
    const banner = page.locator('[data-testid="banner"][data-notice="offline"]')
    await expect(banner).toContainText('Offline: 3 prompts waiting.')

    // Its state, why it waits and Remove on one line: Remove is a button, not a bar across the chat.
    const waiting = page.getByTestId('waiting-answer')
    const [line, remove, state] = await Promise.all([waiting.boundingBox(), waiting.getByTestId('remove-waiting').boundingBox(), waiting.getByTestId('run-state').boundingBox()])
    expect(remove?.width).toBeLessThan(120)
    expect(Math.abs((remove?.y ?? 0) - (state?.y ?? 1000))).toBeLessThan(line?.height ?? 0)
    // `first` already ran, so it waits in the chat: removing it answers it as stopped (D5), as any cancel would.
    await waiting.getByTestId('remove-waiting').click()
    await expect(assistants(page).first()).toHaveAttribute('data-finish-reason', 'canceled')
    // `second` is now the next to run, so it waits in the chat the same way; `third` is still a chip.
    await expect(page.getByTestId('waiting-prompt')).toHaveText('second')
    await expect(page.getByTestId('waiting-answer')).toHaveCount(1)
    await page.getByTestId('queued-chip').filter({ hasText: 'third' }).getByTestId('remove-chip').click()
    await expect(page.getByTestId('queued-chip')).toHaveCount(0)
    await expect(banner).toContainText('Offline: 1 prompt waiting.')

    const models = await lateServer.start()
    models.answer((prompt) => ({ text: `Answer to ${prompt.trim().split(/\s+/).at(-1) ?? ''}.` }))
    await tryNow(page)
    await chat.waitForAnswers(2)
    await expect(banner).toHaveCount(0)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'first', finish: '' },
      { role: 'assistant', text: '', finish: 'canceled' },
      { role: 'user', text: 'second', finish: '' },
      { role: 'assistant', text: 'Answer to second.', finish: 'end_turn' }
    ])
    expect(JSON.stringify(models.chatRequests())).not.toContain('third')
    await expect.poll(() => allRunCompletes(chat).length).toBe(3)
  })
})

withServerDown.describe('C3: a waiting prompt looks the same in every chat', () => {
  withServerDown('one that ran once and one sent while Parley knew the server was down both wait in their chat', async ({ chat, lateServer }) => {
    const { page } = chat
    await chat.open()
    await chat.send('first')
    const banner = page.locator('[data-testid="banner"][data-notice="offline"]')
    await expect(banner).toContainText('Offline: 1 prompt waiting.')
    // `first` ran once: its user message is history, and its answer's place says it waits.
    await expect(page.getByTestId('waiting-answer')).toHaveCount(1)
    await expect(page.getByTestId('waiting-prompt')).toHaveCount(0)

    // In a new chat, a prompt sent now never runs before the server is back; it still shows in the chat, the same way.
    await page.getByTestId('new-session').click()
    await expect(page.getByTestId('waiting-answer')).toHaveCount(0)
    await chat.send('other')
    await expect(banner).toContainText('Offline: 2 prompts waiting.')
    await expect(page.getByTestId('waiting-prompt')).toHaveText('other')
    await expect(page.getByTestId('waiting-answer').getByTestId('run-state')).toHaveText('Waiting for the model…')
    await expect(page.getByTestId('queued-chip')).toHaveCount(0)

    const models = await lateServer.start()
    models.answer((prompt) => ({ text: `Answer to ${prompt}.` }))
    await tryNow(page)
    await expect(page.getByTestId('waiting-prompt')).toHaveCount(0)
    await expect(banner).toHaveCount(0)
    await expect.poll(() => transcript(page)).toEqual([
      { role: 'user', text: 'other', finish: '' },
      { role: 'assistant', text: 'Answer to other.', finish: 'end_turn' }
    ])
  })
})

interface FaultCase {
  name: string
  reply: ScriptedReply
  /** How many requests fail before the prompt would get through (a 429 is tried again, rule C4). */
  attempts: number
  error: RegExp
  /** The text kept from before the fault (C5). */
  partial: string
}

const faults: FaultCase[] = [
  {
    name: 'a 429 with retry-after, once the retries run out',
    reply: { fault: { type: 'status', status: 429, retryAfter: 1, body: { error: { message: 'Slow down' } } } },
    attempts: 4,
    error: /^The model server is rate limiting requests \(429\): Slow down\. Try again in 1 s\.$/,
    partial: ''
  },
  {
    name: 'a 500',
    reply: { fault: { type: 'status', status: 500, body: { error: { message: 'upstream exploded' } } } },
    attempts: 1,
    error: /^The model server returned an error \(500\): upstream exploded\.$/,
    partial: ''
  },
  {
    name: 'a connection dropped mid-stream',
    reply: { tokens: ['Half', ' of', ' it', ' and the rest'], fault: { type: 'drop', afterTokens: 3 } },
    attempts: 1,
    error: /^The model server at http:\/\/127\.0\.0\.1:\d+\/v1 closed the connection\. Check that it is still running\.$/,
    partial: 'Half of it'
  },
  {
    name: 'malformed SSE',
    reply: { tokens: ['Half', ' of', ' it', ' and the rest'], fault: { type: 'malformed', afterTokens: 2 } },
    attempts: 1,
    error: /^The model server sent a reply Parley couldn't read: .+/,
    partial: 'Half of'
  }
]

test.describe('C4, C5: provider faults', () => {
  for (const fault of faults) {
    test(`${fault.name} gives a readable error on that answer, the queue goes on, and Retry sends it again`, async ({
      chat,
      scripted
    }) => {
      const { page } = chat
      let failing = fault.attempts
      scripted.answer((prompt) => {
        if (prompt === 'break' && failing > 0) {
          failing -= 1
          return { ...fault.reply, gate: 'break' }
        }
        return { text: `Answer to ${prompt.trim().split(/\s+/).at(-1) ?? ''}.` }
      })
      await chat.open()
      await chat.send('break')
      await scripted.waitForGate('break')
      await chat.send('next')
      await expect(page.getByTestId('queued-chip')).toHaveCount(1)
      scripted.release('break')
      if (fault.attempts > 1) {
        // C4: the answer owed says when the next try goes.
        await expect(page.getByTestId('awaited-answer')).toHaveAttribute('data-retrying', 'true')
        await expect(page.getByTestId('awaited-answer').getByTestId('run-state')).toHaveText(/^Rate limited: (retrying in \d+ s|trying again…)$/)
      }

      await chat.waitForAnswers(2)
      const failed = assistants(page).first()
      await expect(failed).toHaveAttribute('data-finish-reason', 'error')
      await expect(failed.getByTestId('run-state')).toHaveText('Failed')
      await expect(failed.getByTestId('message-error')).toHaveText(fault.error)
      await expect(failed.getByTestId('message-text')).toHaveText(fault.partial)
      await expect(assistants(page).nth(1).getByTestId('message-text')).toHaveText('Answer to next.')
      const failedRun = (await failed.getAttribute('data-run-id')) ?? ''
      await expect.poll(() => chat.runCompletes(failedRun)).toEqual([expect.objectContaining({ error: expect.stringMatching(fault.error) })])
      const breakRequests = scripted.chatRequests().filter((request) => request.messages.at(-1)?.content === 'break')
      expect(breakRequests).toHaveLength(fault.attempts)

      // H2: a failed prompt with no text doesn't reach the next request; with partial text, it is a whole turn.
      const nextRequest = scripted.chatRequests().find((request) => request.messages.at(-1)?.content === 'next')
      expect(nextRequest?.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(
        fault.partial ? ['break', 'next'] : ['next']
      )

      // Retry (H3): the same user message answered again, as a new run beside the failed answer; the chat shows the
      // new branch (the prompt, then the new answer, 2/2), and the prompt is neither sent twice nor shown twice.
      await failed.getByTestId('retry-run').click()
      await expect
        .poll(async () => (await transcript(page)).map((message) => `${message.role}:${message.finish}`))
        .toEqual(['user:', 'assistant:end_turn'])
      const retried = assistants(page).first()
      await expect(retried.getByTestId('message-text')).toHaveText('Answer to break.')
      await expect(retried.getByTestId('branch-position')).toHaveText('2/2')
      const retriedRun = (await retried.getAttribute('data-run-id')) ?? ''
      expect(retriedRun).not.toBe(failedRun)
      await expect.poll(() => chat.runCompletes(retriedRun).length).toBe(1)
      // The failed answer stays, with the turn after it, one "<" away.
      await retried.getByTestId('branch-previous').click()
      await expect
        .poll(async () => (await transcript(page)).map((message) => `${message.role}:${message.finish}`))
        .toEqual(['user:', 'assistant:error', 'user:', 'assistant:end_turn'])
      const retryRequest = scripted.chatRequests().at(-1)
      expect(retryRequest?.messages.filter((m) => m.role !== 'system')).toEqual([{ role: 'user', content: 'break' }])
    })
  }
})

test.describe('F3: a storage that refuses writes', () => {
  test.beforeEach(async ({ page }) => {
    // The applier's test seam (src/renderer/src/test-seams.ts): while `__parleyStorageFull` is set, every commit
    // throws the DOMException a full disk gives, and is counted.
    await page.addInitScript(() => {
      const scope = globalThis as unknown as Record<string, unknown>
      scope['__parleyStorageFull'] = false
      scope['__parleyFailedCommits'] = 0
      scope['__parleyTestHooks'] = {
        beforeCommit() {
          if (scope['__parleyStorageFull'] !== true) return
          scope['__parleyFailedCommits'] = Number(scope['__parleyFailedCommits']) + 1
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        }
      }
    })
  })

  const setStorageFull = (page: Page, full: boolean): Promise<void> =>
    page.evaluate((value) => {
      ;(globalThis as unknown as Record<string, unknown>)['__parleyStorageFull'] = value
    }, full)
  const failedCommits = (page: Page): Promise<number> =>
    page.evaluate(() => Number((globalThis as unknown as Record<string, unknown>)['__parleyFailedCommits']))

  test('nothing is acknowledged while writes fail, the banner says why, and once they work every event lands exactly once', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.answer((prompt) => (prompt === 'second' ? { text: 'Saved at last.', gate: 'second' } : { text: 'First answer.' }))
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await chat.send('second')
    // The turn has read its history, so the user message is committed; the answer waits at the gate.
    await scripted.waitForGate('second')

    await setStorageFull(page, true)
    scripted.release('second')
    const banner = page.locator('[data-testid="banner"][data-notice="storage"]')
    await expect(banner).toContainText("Parley can't save to this computer's storage: the disk is full. Nothing is lost:")
    const acksBefore = chat.acksSent().length
    // The whole answer reaches the window and fails to be written, several times over (one retry a second).
    await expect.poll(() => allRunCompletes(chat).length).toBe(2)
    await expect.poll(() => failedCommits(page)).toBeGreaterThanOrEqual(3)
    expect(chat.acksSent().length).toBe(acksBefore)
    // The window shows the answer it heard (from memory: the list's live end), though IndexedDB doesn't have it yet.
    await expect(assistants(page)).toHaveCount(2)
    await expect(assistants(page).nth(1)).toContainText('Saved at last.')
    expect((await storedRows(chat)).filter((row) => row.role === 'assistant')).toHaveLength(1)

    await setStorageFull(page, false)
    await expect(banner).toHaveCount(0)
    await chat.waitForAnswers(2)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'first', finish: '' },
      { role: 'assistant', text: 'First answer.', finish: 'end_turn' },
      { role: 'user', text: 'second', finish: '' },
      { role: 'assistant', text: 'Saved at last.', finish: 'end_turn' }
    ])
    const rows = await storedRows(chat)
    expect(rows).toHaveLength(4)
    expect(new Set(rows.map((row) => row.id)).size).toBe(4)
    expect(rows.filter((row) => row.role === 'assistant').map(textOf).sort()).toEqual(['First answer.', 'Saved at last.'])
    // The page acknowledged again, through the last event of the second run.
    const lastComplete = lastRunCompleteSeq(chat)
    await expect.poll(() => Math.max(0, ...chat.acksSent())).toBeGreaterThanOrEqual(lastComplete)
  })

  test('a reload while writes fail loses nothing: main replays what was never acknowledged, once', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => (prompt === 'kept' ? { text: 'Kept by main.', gate: 'kept' } : { text: 'ok' }))
    await chat.open()
    await chat.send('kept')
    await scripted.waitForGate('kept')
    await setStorageFull(page, true)
    scripted.release('kept')
    await expect(page.locator('[data-testid="banner"][data-notice="storage"]')).toBeVisible()
    await expect.poll(() => allRunCompletes(chat).length).toBe(1)
    expect((await storedRows(chat)).filter((row) => row.role === 'assistant')).toHaveLength(0)

    // The page script runs again on reload and leaves the storage working: the new window gets the answer from main.
    await page.reload()
    await chat.waitForAnswers(1)
    expect(await transcript(page)).toEqual([
      { role: 'user', text: 'kept', finish: '' },
      { role: 'assistant', text: 'Kept by main.', finish: 'end_turn' }
    ])
    const rows = await storedRows(chat)
    expect(rows.map((row) => `${row.role}:${textOf(row)}`).sort()).toEqual(['assistant:Kept by main.', 'user:kept'])
    expect(scripted.chatRequests()).toHaveLength(1)
  })

  test("the settings say whether the browser promised to keep Parley's storage", async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await page.getByTestId('settings-button').click()
    // Whichever the browser answered to navigator.storage.persist(), the panel says it (not "Asking…").
    await expect(page.getByTestId('settings-storage-persisted')).toHaveText(
      /^(Storage is persistent|The browser may clear Parley's storage under pressure)$/
    )
  })
})

/** The seq of the last run.complete event the page received. */
function lastRunCompleteSeq(chat: ChatPage): number {
  let seq = 0
  for (const payload of chat.framesReceived) {
    const frame = JSON.parse(payload) as { event?: { type?: string; seq?: number } }
    if (frame.event?.type === 'run.complete' && frame.event.seq !== undefined) seq = Math.max(seq, frame.event.seq)
  }
  return seq
}
