import { transcript, twoTurns } from '../fixtures/chat-window'
import { expect, test, type ChatPage, type ScriptedModels } from './chat-app'

test.describe('the chat window', () => {
  test('two distinct turns: a prompt sent while busy is queued, then runs as its own turn', async ({ chat, scripted }, testInfo) => {
    const { page } = chat
    scripted.answer((prompt) =>
      prompt === 'main' ? { text: 'The first answer.', gate: 'main' } : { text: 'The second answer.' }
    )
    await chat.open()

    // 1. `main` is sent; the scripted server holds its stream at the gate.
    await chat.send('main')
    await scripted.waitForGate('main')
    await expect(page.getByTestId('stop-button')).toBeVisible()

    // 2. `follow` is sent while the session is busy: exactly one queued chip shows it.
    await chat.send('follow')
    await expect(page.getByTestId('queued-chip')).toHaveCount(1)
    await expect(page.getByTestId('queued-chip')).toContainText('follow')

    // 3. The gate opens: user main, its answer, user follow, its answer, in that order.
    scripted.release('main')
    await expect(page.getByTestId('queued-chip')).toHaveCount(0)
    await chat.waitForAnswers(2)
    expect(await transcript(page)).toEqual(twoTurns)

    // 4a. The queued turn saw the finished first turn: the second request carried main, its answer, then follow.
    const chats = scripted.chatRequests()
    expect(chats).toHaveLength(2)
    expect(chats[1]?.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: 'main' },
      { role: 'assistant', content: 'The first answer.' },
      { role: 'user', content: 'follow' }
    ])

    // 4b. IndexedDB holds exactly two assistant messages, with two different runIds (the window draws an answer it
    // has heard before its commit is done: the second one's lands a moment after it is shown).
    await expect.poll(async () => (await chat.storedMessages()).filter((m) => m.role === 'assistant').length).toBe(2)
    const stored = await chat.storedMessages()
    const answers = stored.filter((m) => m.role === 'assistant')
    expect(answers).toHaveLength(2)
    expect(new Set(answers.map((m) => m.runId)).size).toBe(2)

    // 4c. The page received one RunComplete for each runId.
    for (const answer of answers) expect(chat.runCompletes(answer.runId)).toHaveLength(1)

    await chat.screenshot(testInfo, 'two-turns')

    // 4d. After a reload, the same four messages are there.
    await page.reload()
    await chat.waitForAnswers(2)
    expect(await transcript(page)).toEqual(twoTurns)
    expect((await chat.storedMessages()).length).toBe(4)
  })

  test('Stop keeps the partial answer, marks it stopped, and lets the next queued prompt run', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) =>
      prompt === 'long story'
        ? { tokens: Array.from({ length: 400 }, (_, i) => `word${i} `), tokenDelayMs: 25 }
        : { text: 'Next answer.' }
    )
    await chat.open()
    await chat.send('long story')
    const streaming = page.locator('[data-testid="message"][data-role="assistant"]').first()
    await expect(streaming.getByTestId('message-text')).toContainText('word3')
    await chat.send('next')
    await expect(page.getByTestId('queued-chip')).toHaveCount(1)

    await page.getByTestId('stop-button').click()

    await chat.waitForAnswers(2)
    const stopped = page.locator('[data-testid="message"][data-role="assistant"]').first()
    await expect(stopped).toHaveAttribute('data-finish-reason', 'canceled')
    await expect(stopped.getByTestId('run-state')).toHaveText(/stopped/i)
    const partial = (await stopped.getByTestId('message-text').textContent()) ?? ''
    expect(partial).toContain('word0')
    expect(partial).not.toContain('word399')
    const next = page.locator('[data-testid="message"][data-role="assistant"]').nth(1)
    await expect(next.getByTestId('message-text')).toHaveText('Next answer.')
    await expect(next).toHaveAttribute('data-finish-reason', 'end_turn')
  })

  test('Esc stops the active answer too', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer(() => ({ tokens: Array.from({ length: 400 }, (_, i) => `w${i} `), tokenDelayMs: 25 }))
    await chat.open()
    await chat.send('go on')
    const answer = page.locator('[data-testid="message"][data-role="assistant"]').first()
    await expect(answer.getByTestId('message-text')).toContainText('w2')
    await page.getByTestId('composer-input').press('Escape')
    await expect(answer).toHaveAttribute('data-finish-reason', 'canceled')
  })

  test('a removed queued chip never reaches the server', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => (prompt === 'hold' ? { text: 'Held answer.', gate: 'hold' } : { text: `Answer to ${prompt}.` }))
    await queueTwoBehindHold(chat, scripted)

    await page.getByTestId('queued-chip').filter({ hasText: 'remove me' }).getByTestId('remove-chip').click()
    await expect(page.getByTestId('queued-chip')).toHaveCount(1)
    await expect(page.getByTestId('queued-chip')).toContainText('keep me')

    await expectOnlyKeptAnswered(chat, scripted)
    const everything = JSON.stringify(scripted.chatRequests())
    expect(everything).not.toContain('remove me')
  })

  test('D2: a chip removed just before a reload stays removed: the next page sends the removal again', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => (prompt === 'hold' ? { text: 'Held answer.', gate: 'hold' } : { text: `Answer to ${prompt}.` }))
    // The page goes before its removal leaves it: until the reload, the × call's frame never reaches main.
    let pageGone = false
    const dropped: string[] = []
    await page.routeWebSocket(/./, (socket) => {
      const server = socket.connectToServer()
      socket.onMessage((frame) => {
        if (!pageGone && typeof frame === 'string' && frame.includes('"cancelRun"')) dropped.push(frame)
        else server.send(frame)
      })
      server.onMessage((frame) => socket.send(frame))
    })
    await queueTwoBehindHold(chat, scripted)

    await page.getByTestId('queued-chip').filter({ hasText: 'remove me' }).getByTestId('remove-chip').click()
    await expect.poll(() => dropped.length).toBe(1)
    pageGone = true
    await page.reload()
    await expect(page.getByTestId('composer-input')).toBeVisible()
    await expect(page.getByTestId('queued-chip')).toHaveCount(1)
    await expect(page.getByTestId('queued-chip')).toContainText('keep me')

    await expectOnlyKeptAnswered(chat, scripted)
    expect(JSON.stringify(scripted.chatRequests())).not.toContain('remove me')
    // Answered, it is let go: a later page does not send it again.
    await expect.poll(() => page.evaluate("localStorage.getItem('parley.keptRemovals')")).toBeNull()
  })

  test('a provider error shows as a readable message on that answer, and the next queued prompt still runs', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.answer((prompt) =>
      prompt === 'break'
        ? { gate: 'break', fault: { type: 'status', status: 500, body: { error: { message: 'upstream exploded' } } } }
        : { text: 'Recovered fine.' }
    )
    await chat.open()
    await chat.send('break')
    await scripted.waitForGate('break')
    await chat.send('then this')
    await expect(page.getByTestId('queued-chip')).toHaveCount(1)
    scripted.release('break')

    await chat.waitForAnswers(2)
    const failed = page.locator('[data-testid="message"][data-role="assistant"]').first()
    await expect(failed).toHaveAttribute('data-finish-reason', 'error')
    await expect(failed.getByTestId('run-state')).toHaveText(/failed/i)
    await expect(failed.getByTestId('message-error')).toContainText('500')
    await expect(failed.getByTestId('message-error')).toContainText('upstream exploded')
    const next = page.locator('[data-testid="message"][data-role="assistant"]').nth(1)
    await expect(next.getByTestId('message-text')).toHaveText('Recovered fine.')
  })

  test('two windows in a row: a session filled in one page shows the same history in a new page', async ({
    chat,
    scripted,
    context
  }) => {
    scripted.answer((prompt) => ({ text: `You said ${prompt}.` }))
    await chat.open()
    await chat.send('hello there')
    await chat.waitForAnswers(1)
    await chat.send('and again')
    await chat.waitForAnswers(2)
    const before = await transcript(chat.page)
    const sessionId = await chat.page.getByTestId('session-item').first().getAttribute('data-session-id')
    await chat.page.close()

    const second = await context.newPage()
    await second.goto(chat.url)
    await second.locator(`[data-testid="session-item"][data-session-id="${sessionId}"]`).click()
    await expect(second.locator('[data-testid="message"][data-role="assistant"][data-status="finished"]')).toHaveCount(2)
    expect(await transcript(second)).toEqual(before)
    expect(before.map((m) => m.text)).toEqual(['hello there', 'You said hello there.', 'and again', 'You said and again.'])
  })
})

test.describe('settings', () => {
  test('the model and API key set in the panel reach the model server, and the key never reaches page storage', async ({
    chat,
    scripted
  }) => {
    const { page } = chat
    scripted.answer(() => ({ text: 'Hello with a key.' }))
    await chat.open()
    await page.getByTestId('settings-button').click()
    await page.getByTestId('settings-model').fill('large-v2')
    await page.getByTestId('settings-api-key').fill('sk-test-1234567890')
    await page.getByTestId('settings-save').click()
    await expect(page.getByTestId('settings-key-state')).toContainText(/set/i)
    await page.getByTestId('settings-close').click()

    await chat.send('hi')
    await chat.waitForAnswers(1)
    // The answer's request, not the title's (which comes after the answer, rule E2).
    const request = scripted.server.requests
      .filter((r) => r.path.endsWith('/chat/completions') && (r.body as { model?: string }).model !== 'small')
      .at(-1)
    expect((request?.body as { model?: string }).model).toBe('large-v2')
    expect(request?.headers['authorization']).toBe('Bearer sk-test-1234567890')

    // The key lives in main: it never reached the page (no frame carried it) and so is in none of its storage.
    expect(chat.framesReceived.length).toBeGreaterThan(0)
    expect(chat.framesReceived.filter((frame) => frame.includes('sk-test'))).toEqual([])
    const tables = await chat.storedTables()
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(['messages', 'sessions', 'meta']))
    expect(JSON.stringify(tables)).not.toContain('sk-test')
    const webStorage = await page.evaluate(() => {
      const { localStorage, sessionStorage } = globalThis as unknown as Record<'localStorage' | 'sessionStorage', object>
      return JSON.stringify([{ ...localStorage }, { ...sessionStorage }])
    })
    expect(webStorage).not.toContain('sk-test')
  })
})

test.describe('the sessions sidebar', () => {
  test('new, rename and delete, sorted by last activity, with the busy session marked', async ({ chat, scripted }) => {
    const { page } = chat
    // Each chat gets its own title (Chat 1, Chat 2…), so the sidebar's rows can be told apart.
    let titles = 0
    scripted.server.setDefault((request) => {
      const body = request.body as { model?: string; messages?: { content: string }[] }
      if (body.model === 'small') return { text: `Chat ${++titles}` }
      const prompt = body.messages?.at(-1)?.content ?? ''
      return prompt === 'slow' ? { text: 'Slow answer.', gate: 'slow' } : { text: `Re: ${prompt}` }
    })
    const rows = page.getByTestId('session-item')
    const titlesShown = () => page.getByTestId('session-title').allTextContents()

    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await expect(rows).toHaveCount(1)
    await expect(page.getByTestId('session-title')).toHaveText('Chat 1')

    await page.getByTestId('new-session').click()
    await chat.send('second')
    await expect(rows).toHaveCount(2)
    await expect.poll(titlesShown).toEqual(['Chat 2', 'Chat 1'])

    // Activity in the older chat moves it to the top, and it shows as busy while it answers.
    await rows.filter({ hasText: 'Chat 1' }).click()
    await chat.send('slow')
    await scripted.waitForGate('slow')
    await expect.poll(titlesShown).toEqual(['Chat 1', 'Chat 2'])
    await expect(rows.filter({ hasText: 'Chat 1' })).toHaveAttribute('data-busy', 'true')
    await expect(rows.filter({ hasText: 'Chat 2' })).toHaveAttribute('data-busy', 'false')
    scripted.release('slow')
    await expect(rows.filter({ hasText: 'Chat 1' })).toHaveAttribute('data-busy', 'false')

    // Rename: double-click, type, Enter.
    await rows.filter({ hasText: 'Chat 2' }).getByTestId('session-title').dblclick()
    const editor = rows.filter({ has: page.locator('input') }).locator('input')
    await editor.fill('Groceries')
    await editor.press('Enter')
    await expect.poll(titlesShown).toEqual(['Chat 1', 'Groceries'])

    // Delete, after a confirm; once its Undo time is over, the name stays gone after a reload.
    const groceries = rows.filter({ hasText: 'Groceries' })
    await groceries.hover()
    await groceries.getByTestId('delete-session').click()
    await groceries.getByTestId('confirm-delete').click()
    await expect.poll(titlesShown).toEqual(['Chat 1'])
    const storedTitles = async (): Promise<string[]> =>
      (((await chat.storedTables())['sessions'] ?? []) as { title: string }[]).map((s) => s.title)
    await expect.poll(storedTitles, { timeout: 20_000 }).toEqual(['Chat 1'])
    await page.reload()
    await expect.poll(titlesShown).toEqual(['Chat 1'])
    const sessions = (await chat.storedTables())['sessions'] as { title: string }[]
    expect(sessions.map((s) => s.title)).toEqual(['Chat 1'])
  })
})

test.describe('New chat', () => {
  test('clicking New chat again while the chat is still empty reuses it: empty chats never pile up', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Re: ${prompt}` }))
    const rows = page.getByTestId('session-item')
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await expect(rows).toHaveCount(1)

    const newChat = page.getByTestId('new-session')
    await newChat.click()
    await expect(rows).toHaveCount(2)
    await newChat.click()
    await newChat.click()
    await page.keyboard.press('Control+n')
    // Give a wrongly made chat time to reach the sidebar before counting.
    await page.waitForTimeout(500)
    await expect(rows).toHaveCount(2)
    // The empty chat is the one shown, and a prompt there makes it a real chat; then New chat makes another.
    await chat.send('second')
    await chat.waitForAnswers(1)
    await newChat.click()
    await expect(rows).toHaveCount(3)
  })

  test('Ctrl+N and straight on typing: the prompt goes to the new chat even while main is slow to make it', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Re: ${prompt}` }))
    // Main's answer to "make a chat" is held for a second (a busy machine, a slow bridge); every other frame passes.
    await page.routeWebSocket(/./, (socket) => {
      const server = socket.connectToServer()
      socket.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"createSession"')) setTimeout(() => server.send(frame), 1_000)
        else server.send(frame)
      })
      server.onMessage((frame) => socket.send(frame))
    })
    const rows = page.getByTestId('session-item')
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await expect(rows).toHaveCount(1)

    await page.keyboard.press('Control+n')
    // Sent before main has made the chat, it goes to the new one all the same, not under the first answer.
    await chat.send('second')
    await expect.poll(() => transcript(page).then((shown) => shown.map((m) => m.text))).toEqual(['second', 'Re: second'])
    await expect(rows).toHaveCount(2)
    await rows.nth(1).click()
    await expect.poll(() => transcript(page).then((shown) => shown.map((m) => m.text))).toEqual(['first', 'Re: first'])
  })

  test('an unsent prompt stays with its chat, and a reload opens the chat shown last, with its draft', async ({ chat, scripted }) => {
    const { page } = chat
    scripted.answer((prompt) => ({ text: `Re: ${prompt}` }))
    const rows = page.getByTestId('session-item')
    const box = page.getByTestId('composer-input')
    await chat.open()
    await chat.send('first')
    await chat.waitForAnswers(1)
    await box.fill('half a thought for the first chat')
    await page.getByTestId('new-session').click()
    await expect(rows).toHaveCount(2)
    // The new chat's box is its own: empty, and what is typed there stays there.
    await expect(box).toHaveValue('')
    await box.fill('a draft for the second chat')
    // Newest first: the new chat is on top, the first chat under it.
    await rows.nth(1).click()
    await expect(box).toHaveValue('half a thought for the first chat')
    await page.reload()
    await expect(box).toBeVisible()
    // The window opens on the chat it showed last, the first one, with its draft; the second keeps its own.
    await expect(box).toHaveValue('half a thought for the first chat')
    await expect(rows.nth(1).locator('.session-open')).toHaveAttribute('aria-current', 'page')
    await rows.nth(0).click()
    await expect(box).toHaveValue('a draft for the second chat')
    // Sent, it is no longer kept.
    await box.press('Enter')
    await expect(box).toHaveValue('')
    await chat.waitForAnswers(1)
    await page.reload()
    await expect(box).toBeVisible()
    await rows.nth(0).click()
    await expect(box).toHaveValue('')
  })

  test('a new chat shows its first prompt and answer the frame they are drawn, and after: no frame of rows drawn hidden', async ({ chat, scripted }) => {
    const { page } = chat
    const tall = Array.from({ length: 80 }, (_, line) => `Line ${line} of a long answer.`).join('\n\n')
    scripted.answer((prompt) => ({ text: prompt === 'tall' ? tall : `Re: ${prompt}` }))
    await chat.open()
    // Every frame: are there rows in the chat list while it is hidden? (Virtuoso hides its rows until its scroll to
    // where the list opens has landed, and in a list too short to scroll it never lands: the rows were drawn unseen for
    // 170–300 ms, for seconds under load.)
    await page.evaluate(() => {
      const hiddenFrames: number[] = []
      Object.assign(globalThis, { __hiddenFrames: hiddenFrames })
      const look = (): void => {
        const list = document.querySelector<HTMLElement>('.chat-list-frame [data-testid="virtuoso-item-list"]')
        if (list && list.children.length > 0 && getComputedStyle(list).visibility === 'hidden') hiddenFrames.push(performance.now())
        requestAnimationFrame(look)
      }
      requestAnimationFrame(look)
    })
    await chat.send('first')
    await chat.waitForAnswers(1)
    await chat.send('second')
    await chat.waitForAnswers(2)
    await expect(page.getByTestId('message').first()).toBeVisible()
    // And an answer taller than the view: the list, shown while it fitted, never goes blank as it outgrows it.
    await chat.send('tall')
    // (The list is virtual: the first answers are no longer drawn once the tall one is, so they aren't counted.)
    await expect(page.locator('[data-testid="message"][data-status="finished"]').getByText('Line 79 of a long answer.')).toBeVisible()
    expect(await page.evaluate(() => (globalThis as unknown as { __hiddenFrames: number[] }).__hiddenFrames.length)).toBe(0)
  })
})


/** "hold" answering behind a gate, and "remove me" and "keep me" queued behind it as chips. */
async function queueTwoBehindHold(chat: ChatPage, scripted: ScriptedModels): Promise<void> {
  await chat.open()
  await chat.send('hold')
  await scripted.waitForGate('hold')
  await chat.send('remove me')
  await chat.send('keep me')
  await expect(chat.page.getByTestId('queued-chip')).toHaveCount(2)
}

/** "hold" let go: it and "keep me" are answered, and "remove me" never reached the transcript. */
async function expectOnlyKeptAnswered(chat: ChatPage, scripted: ScriptedModels): Promise<void> {
  scripted.release('hold')
  await chat.waitForAnswers(2)
  expect(await transcript(chat.page)).toEqual([
    { role: 'user', text: 'hold', finish: '' },
    { role: 'assistant', text: 'Held answer.', finish: 'end_turn' },
    { role: 'user', text: 'keep me', finish: '' },
    { role: 'assistant', text: 'Answer to keep me.', finish: 'end_turn' }
  ])
}
