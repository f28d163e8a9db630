import { sendPrompt, transcript } from '../fixtures/chat-window'
import { chatModel } from '../fixtures/scripted-models'
import { lastUserText } from '../fixtures/scripted-server'
import { expect, readStoredHistory, storedText, test, watchBridge, type StoredHistory } from './host-process'

// Issue "Offline sessions and durability": the browser-mode server dies mid-answer (SIGKILL: no shutdown, no last
// write) and starts again on the same port, token and data folder. The open page reconnects by itself.

const words = Array.from({ length: 400 }, (_, i) => `w${i} `)
const fullAnswer = words.join('')
/** 25 ms a token: the long answer would take 10 s, and is cut off after about 2. */
const tokenDelayMs = 25
/** Long enough for main's journal to sync (about once a second) and the page to checkpoint and ack (the same). */
const streamBeforeKillMs = 1_500

test('a SIGKILL mid-answer: the queue runs in order after a restart, the answer is kept as interrupted, and nothing acknowledged is lost', async ({
  page,
  host,
  scripted
}) => {
  test.setTimeout(60_000)
  scripted.answer((prompt) => (prompt === 'long story' ? { tokens: words, tokenDelayMs } : { text: `Answer to ${prompt}.` }))
  const bridge = watchBridge(page)
  let pageLoads = 0
  page.on('load', () => (pageLoads += 1))
  await page.goto(host.url)
  await expect(page.getByTestId('composer-input')).toBeVisible()

  // 1. The long answer streams; two prompts queue behind it.
  await sendPrompt(page, 'long story')
  const answer = page.locator('[data-testid="message"][data-role="assistant"]').first()
  await expect(answer.getByTestId('message-text')).toContainText('w3')
  const streamingSince = Date.now()
  await sendPrompt(page, 'second')
  await sendPrompt(page, 'third')
  await expect(page.getByTestId('queued-chip')).toHaveCount(2)

  // 2. Wait until the page holds part of the answer in IndexedDB and main has answered its ack for it, and the
  //    answer has streamed long enough for main's journal to have synced.
  let before: StoredHistory | undefined
  await expect
    .poll(
      async () => {
        before = await readStoredHistory(page)
        const row = before.messages.find((m) => m.role === 'assistant')
        const checkpointed = row !== undefined && row.status === 'streaming' && storedText(row).length > 0
        return checkpointed && bridge.acknowledgedSeq >= row.seq && Date.now() - streamingSince >= streamBeforeKillMs
      },
      { timeout: 10_000, intervals: [100] }
    )
    .toBe(true)
  const stored = before as StoredHistory
  const cutRow = stored.messages.find((m) => m.role === 'assistant')
  if (!cutRow) throw new Error('no assistant row')
  expect(stored.messages.filter((m) => m.role === 'user').map(storedText)).toEqual(['long story'])

  // 3. Kill it mid-stream, and start it again at the same address.
  await host.kill()
  expect(scripted.chatRequests()).toHaveLength(1)
  await host.restart()

  // 4. The page reconnects by itself (no reload) and the queued prompts run: three finished answers. The wait allows
  //    for a slow restart and the client's reconnect backoff (up to 5 s between tries).
  const finished = page.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]')
  await expect(finished).toHaveCount(3, { timeout: 30_000 })
  expect(bridge.sockets).toBeGreaterThanOrEqual(2)
  expect(pageLoads).toBe(1)

  // The server was asked for the long answer once (never again) and then for each queued prompt, in order; each
  // queued turn saw the cut-off answer in its history.
  const chats = scripted.chatRequests()
  const lastUser = (messages: { role: string; content: string }[]): string | undefined =>
    messages.filter((m) => m.role === 'user').at(-1)?.content
  expect(chats.map((c) => lastUser(c.messages))).toEqual(['long story', 'second', 'third'])
  // The kill really cut the stream: the server saw its client go before the answer was complete.
  const longRequest = scripted.server.requests.find(
    (r) => (r.body as { model?: string } | undefined)?.model === chatModel && lastUserText(r) === 'long story'
  )
  expect(longRequest?.clientAborted).toBe(true)

  // The chat: the cut-off answer, marked interrupted, then each queued prompt with its own answer.
  const shown = await transcript(page)
  expect(shown.map(({ role, finish }) => [role, finish])).toEqual([
    ['user', ''],
    ['assistant', 'interrupted'],
    ['user', ''],
    ['assistant', 'end_turn'],
    ['user', ''],
    ['assistant', 'end_turn']
  ])
  expect(shown.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['long story', 'second', 'third'])
  expect(shown[3]?.text).toBe('Answer to second.')
  expect(shown[5]?.text).toBe('Answer to third.')
  await expect(answer).toHaveAttribute('data-finish-reason', 'interrupted')
  await expect(answer.getByTestId('run-state')).toHaveText('Interrupted')

  // What the interrupted answer keeps: a real prefix of the scripted answer, at least what the page had stored. The
  // page draws an answer a moment before its commit to IndexedDB lands; since the restarted main holds its queue until
  // the page is back (rule A8), the last answers stream to the page live, so the store is waited for.
  await expect
    .poll(async () => (await readStoredHistory(page)).messages.filter((m) => m.role === 'assistant' && m.status === 'finished').length, {
      timeout: 10_000,
      intervals: [100]
    })
    .toBe(3)
  const after = await readStoredHistory(page)
  const cut = after.messages.find((m) => m.id === cutRow.id)
  if (!cut) throw new Error('the interrupted answer is gone from IndexedDB')
  const cutText = storedText(cut)
  expect(cut).toMatchObject({ status: 'finished', finishReason: 'interrupted' })
  expect(fullAnswer.startsWith(cutText)).toBe(true)
  expect(cutText.length).toBeGreaterThanOrEqual(storedText(cutRow).length)
  expect(cutText.length).toBeLessThan(fullAnswer.length)
  expect(shown[1]?.text).toBe(cutText.trim())
  // The turn after the restart was built from that same text (rule B2).
  expect(chats[1]?.messages.filter((m) => m.role !== 'system')).toEqual([
    { role: 'user', content: 'long story' },
    { role: 'assistant', content: cutText },
    { role: 'user', content: 'second' }
  ])

  // Every row the page had before the kill is still there, with at least as much text: what it had is a prefix of
  // what it has.
  for (const row of stored.messages) {
    const now = after.messages.find((m) => m.id === row.id)
    expect(now, `message ${row.id}`).toBeDefined()
    expect(storedText(now ?? row).startsWith(storedText(row)), `message ${row.id}`).toBe(true)
  }
  for (const session of stored.sessions) expect(after.sessions.map((s) => s.id)).toContain(session.id)
  expect(after.messages.filter((m) => m.role === 'assistant').every((m) => m.status === 'finished')).toBe(true)
  expect(after.messages).toHaveLength(6)

  // One RunComplete per run, however it ended: the interrupted one says so (rule G2), the others carry their text.
  const runIds = after.messages.filter((m) => m.role === 'assistant').map((m) => m.runId)
  for (const runId of runIds) expect(bridge.runCompletes(runId), runId).toHaveLength(1)
  expect(bridge.runCompletes(cut.runId)[0]).toMatchObject({ error: 'interrupted', cancelled: false })
  expect(bridge.allRunCompletes).toHaveLength(3)
})

test.describe('A8: after a restart, recovered queued prompts start once a window has had the chance to withdraw them', () => {
  /**
   * Far longer than a page takes to load: here only the page's `windowReady` can end the hold in time, so the test
   * says the page released it (the default, 2 s, is what `PARLEY_RECOVERY_HOLD_MS` unset gives a person).
   */
  const holdMs = 15_000
  test.use({ hostEnv: { PARLEY_RECOVERY_HOLD_MS: String(holdMs) } })

  test('A8: a chip removed while main is down, then a reload and a restart: the removed prompt is never asked of the model', async ({
    page,
    host,
    scripted
  }) => {
    test.setTimeout(60_000)
    scripted.answer((prompt) => (prompt === 'hold' ? { text: 'Held answer.', gate: 'hold' } : { text: `Answer to ${prompt}.` }))
    await page.goto(host.url)
    await expect(page.getByTestId('composer-input')).toBeVisible()
    await sendPrompt(page, 'hold')
    await scripted.waitForGate('hold')
    await sendPrompt(page, 'remove me')
    await sendPrompt(page, 'keep me')
    // The chips come from main's events, heard once the journal holds the prompts: a crash keeps them (G1).
    await expect(page.getByTestId('queued-chip')).toHaveCount(2)

    // Main dies; the person removes a chip while it is down, and the page goes (a reload finds no server).
    await host.kill()
    await page.getByTestId('queued-chip').filter({ hasText: 'remove me' }).getByTestId('remove-chip').click()
    await expect.poll(() => page.evaluate("localStorage.getItem('parley.keptRemovals')")).not.toBeNull()
    await page.reload().catch(() => undefined)

    // Main starts again with the queue it kept, and the page loads again: it sends its kept removal, then says it
    // is ready. Only then does main start the queue.
    await host.restart()
    const restartedAt = Date.now()
    await page.goto(host.url)
    const finished = page.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]')
    await expect(finished).toHaveCount(2, { timeout: 30_000 })
    await expect(finished.last().getByTestId('message-text')).toHaveText('Answer to keep me.')
    await expect(page.getByTestId('queued-chip')).toHaveCount(0)

    // The removed prompt was never asked of the model: the model saw the held prompt (cut off), then "keep me".
    const asked = scripted.server.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === chatModel)
    expect(asked.map(lastUserText)).toEqual(['hold', 'keep me'])
    expect(JSON.stringify(scripted.chatRequests())).not.toContain('remove me')
    // The page's word ended the hold, not its clock.
    const keptAskedAt = asked[1]?.time ?? Number.POSITIVE_INFINITY
    expect(keptAskedAt - restartedAt).toBeLessThan(holdMs - 5_000)
    await expect.poll(() => page.evaluate("localStorage.getItem('parley.keptRemovals')")).toBeNull()
  })
})
