import type { Page } from '@playwright/test'
import { expect, test } from './chat-app'

// Issue 11, items 1 and 3: a long chat scrolls from its newest message to its first a page at a time, in order, and
// opens at a message deep inside it from a link (`#/chat/<chat>/message/<message>`, what search's results use too);
// from anywhere in it, "Jump to the newest message" brings the reader back to its end.

const COUNT = 2000
const CHAT = 'long-chat'

/** A parley.chats archive of one linear chat of `count` messages, "Message 0" to "Message 1999", a second apart. */
function longArchive(count = COUNT, lastText?: string): string {
  const base = Date.UTC(2025, 0, 1)
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    parentId: i === 0 ? null : `m${i - 1}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: i === count - 1 && lastText !== undefined ? lastText : `Message ${i}` }],
    createdAt: base + i * 1000
  }))
  const chat = { id: CHAT, title: 'Long chat', createdAt: base, updatedAt: base + count * 1000, leafId: `m${count - 1}`, messages }
  return JSON.stringify({ format: 'parley.chats', version: 1, exportedAt: base + count * 1000, chats: [chat] })
}

/**
 * The reader turns the wheel up over the list by `px`. (A script's scroll can be undone by the list keeping to its
 * bottom as an answer finishes, before the scroll is heard; the wheel says at once that the reader moved up.)
 */
async function wheelUp(page: Page, px: number): Promise<void> {
  const list = await page.locator('.chat-list').boundingBox()
  await page.mouse.move((list?.x ?? 0) + 100, (list?.y ?? 0) + 100)
  await page.mouse.wheel(0, -px)
}

/** Imports `archive` through the sidebar's Import button and opens its chat. */
async function importAndOpen(page: Page, archive: string, count: number): Promise<void> {
  const choosing = page.waitForEvent('filechooser')
  await page.getByTestId('import-button').click()
  await (await choosing).setFiles({ name: 'long.parley.json', mimeType: 'application/json', buffer: Buffer.from(archive) })
  await expect(page.getByTestId('transfer-status')).toHaveText(`Imported 1 chat (${count} messages).`, { timeout: 60_000 })
  await page.getByTestId('transfer-close').click()
  await page.getByTestId('session-item').filter({ hasText: 'Long chat' }).click()
}

/**
 * Waits until Virtuoso counts the list as where it opened (`data-placed`): the rows are shown before, but a scroll
 * made before then may be pulled back to the opening place by Virtuoso's retry (a reader's wheel is held meanwhile).
 */
const placed = (page: Page): Promise<void> => expect(page.locator('.chat-list-frame[data-placed]')).toHaveCount(1)

/** The message numbers the list has drawn now, top to bottom. */
const drawn = (page: Page): Promise<number[]> =>
  page
    .locator('.message-row [data-testid="message"]')
    .evaluateAll((rows) => rows.map((message) => Number(message.getAttribute('data-message-id')?.slice(1))))

/**
 * The message numbers drawn once the list has come to rest after a step. Steps taken faster than the test can look
 * (600 px in under 75 ms) are a fling to the list, which passes them in placeholders until it slows (`scrollSeek`).
 */
async function drawnAtRest(page: Page): Promise<number[]> {
  await page.waitForTimeout(30)
  await expect(page.getByTestId('message-placeholder')).toHaveCount(0)
  return drawn(page)
}

/**
 * The number of the topmost message the reader can see: drawn rows above the list's visible part (Virtuoso draws
 * 400 px beyond it, and trims that margin as it likes) are not what the reader is looking at. Read two frames on: as
 * a page is dropped from the top, Virtuoso draws one frame with the old scroll on the new rows (100 further down)
 * before it moves the scroll to match (docs/decisions.md); what the reader is left looking at is what counts here.
 */
const topInView = (page: Page): Promise<number | undefined> =>
  page.locator('.chat-list').evaluate(
    (list) =>
      new Promise<number | undefined>((resolve) => {
        const read = (): void => {
          const edge = list.getBoundingClientRect().top
          const rows = Array.from(list.querySelectorAll('.message-row [data-testid="message"]'))
          const first = rows.find((message) => message.getBoundingClientRect().bottom > edge)
          const id = first?.getAttribute('data-message-id')
          resolve(id ? Number(id.slice(1)) : undefined)
        }
        requestAnimationFrame(() => requestAnimationFrame(read))
      })
  )

/** A message's row in the list (drawn or not). */
const row = (page: Page, id: string) => page.locator(`.message-row:has([data-message-id="${id}"])`)

/** Whether a message is drawn inside the list's visible part. */
async function inView(page: Page, id: string): Promise<boolean> {
  if ((await row(page, id).count()) === 0) return false
  const [box, list] = await Promise.all([row(page, id).boundingBox(), page.locator('.chat-list').boundingBox()])
  return box !== null && list !== null && box.y + box.height > list.y && box.y < list.y + list.height
}

test.describe('a long chat', () => {
  test('scrolls from the newest message to the first, in order, and opens at a message deep inside from a link', async ({ chat, scripted }) => {
    scripted.answer(() => ({ text: 'The newest answer.' }))
    // Importing 2,000 messages and scrolling through them twice, on a loaded 2-core machine.
    test.setTimeout(300_000)
    const { page } = chat
    await chat.open()
    await importAndOpen(page, longArchive(), COUNT)
    await expect(row(page, `m${COUNT - 1}`)).toBeVisible({ timeout: 60_000 })
    await placed(page)

    const seen = new Set<number>()
    let most = 0
    let top = COUNT
    // A fling first: past 8,000 px a second the list passes over messages in placeholders, and draws them at rest.
    const flung = await page.locator('.chat-list').evaluate(
      (list) =>
        new Promise<number>((resolve) => {
          let frames = 0
          let placeholders = 0
          const frame = (): void => {
            list.scrollBy(0, -1500)
            placeholders = Math.max(placeholders, list.querySelectorAll('[data-testid="message-placeholder"]').length)
            if (++frames < 20) requestAnimationFrame(frame)
            else resolve(placeholders)
          }
          requestAnimationFrame(frame)
        })
    )
    expect(flung).toBeGreaterThan(0)
    await expect(page.getByTestId('message-placeholder')).toHaveCount(0)
    await expect.poll(async () => (await drawn(page)).length).toBeGreaterThan(3)
    // Right as the placeholders go, the rows drawn for where the fling stopped may be laid out a frame after: the reader
    // sees a message far above the newest within a moment (polled), not necessarily in the same frame.
    const firstLook = await topInView(page)
    await expect.poll(async () => (await topInView(page)) ?? COUNT, { timeout: 5_000 }).toBeLessThan(COUNT - 20)
    if (firstLook === undefined) console.log('long chat: no row in view on the first look after the fling')
    top = (await topInView(page)) ?? top

    // Then up to the first message at a reading pace (600 px a step), where every message is drawn as it passes.
    for (let step = 0; step < 2000 && !(await inView(page, 'm0')); step++) {
      await page.locator('.chat-list').evaluate((list) => list.scrollBy(0, -600))
      const numbers = await drawnAtRest(page)
      // Top to bottom, consecutive: the conversation's order, no gaps, no repeats.
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i))
      for (const n of numbers) seen.add(n)
      most = Math.max(most, numbers.length)
      // Only ever further up: nothing jumps back down under the reader as pages come and go.
      const reading = (await topInView(page)) ?? top
      expect(reading).toBeLessThanOrEqual(top)
      top = reading
    }
    await expect.poll(() => inView(page, 'm0'), { timeout: 30_000 }).toBe(true)
    await expect(row(page, 'm0')).toContainText('Message 0')
    // The way up passed through the whole chat (the fling and a step between two looks skip a few rows).
    expect(seen.size).toBeGreaterThan(COUNT / 2)
    // The DOM only ever held a screenful or so (Virtuoso), and the window itself stays capped (unit tests).
    expect(most).toBeLessThan(200)

    // Then a link opens it at a message deep inside (the way search's results open it): marked, and in view.
    await page.evaluate("location.hash = '#/chat/long-chat/message/m700'")
    const target = row(page, 'm700')
    await expect(target).toBeVisible({ timeout: 60_000 })
    await expect(target).toHaveClass(/message-targeted/)
    await expect.poll(() => inView(page, 'm700')).toBe(true)
    // The link was taken from the address: following it again opens the message again.
    expect(await page.evaluate('location.hash')).toBe('')

    // Down from there to the newest, in order, fast (1,500 px a step: mostly placeholders). Each page read at the bottom
    // drops one from the top; the list must neither jump back up under the reader nor stop at a page's end (it did,
    // at a window's end it had had before: the edge's value was taken for the read already asked).
    let down = (await topInView(page)) ?? 0
    for (let step = 0; step < 500 && !(await inView(page, `m${COUNT - 1}`)); step++) {
      await page.locator('.chat-list').evaluate((list) => list.scrollBy(0, 1500))
      await page.waitForTimeout(30)
      const numbers = await drawn(page)
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i))
      const reading = (await topInView(page)) ?? down
      expect(reading).toBeGreaterThanOrEqual(down)
      down = reading
    }
    await expect.poll(() => inView(page, `m${COUNT - 1}`), { timeout: 30_000 }).toBe(true)

    // A link opened on loading the window: the chat opens at it.
    await page.goto(`${chat.url.split('#')[0] ?? chat.url}#/chat/long-chat/message/m1234`)
    await expect(row(page, 'm1234')).toBeVisible({ timeout: 60_000 })
    await expect.poll(() => inView(page, 'm1234')).toBe(true)
    // A link to an answer (the odd messages are the model's). Virtuoso's scroll to it moved nothing, so it never heard
    // it had arrived, and scrolled to its row number again after each page read above: the list was carried up a page
    // at a time to the chat's first messages (m38–m62 shown). On reload, and from within the window.
    await page.goto(`${chat.url.split('#')[0] ?? chat.url}#/chat/long-chat/message/m999`)
    await expect.poll(() => inView(page, 'm999'), { timeout: 60_000 }).toBe(true)
    await page.waitForTimeout(1500)
    expect(await inView(page, 'm999')).toBe(true)
    await page.evaluate("location.hash = '#/chat/long-chat/message/m1501'")
    await expect.poll(() => inView(page, 'm1501')).toBe(true)
    await page.waitForTimeout(1500)
    expect(await inView(page, 'm1501')).toBe(true)

    // A prompt sent from deep in the chat: the list goes back to the live end, where it and its answer appear.
    await chat.send('A new prompt')
    await expect(page.getByTestId('message').filter({ hasText: 'The newest answer.' })).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('message').filter({ hasText: 'A new prompt' })).toBeVisible()
    await placed(page)

    // Up a few screens from the newest, "Jump to the newest message" shows, and brings the list back down. (Not asserted:
    // that the list is at the answer before this. The answer to a prompt sent from far up ended below the fold in about
    // one run in fifteen, with the button shown; the list now opens at Virtuoso's 'LAST', the likely cause, but that was
    // never reproduced on demand: docs/decisions.md.)
    const jump = page.getByTestId('jump-to-newest')
    const newest = page.getByTestId('message').filter({ hasText: 'The newest answer.' })
    await wheelUp(page, 3000)
    await expect(jump).toBeVisible()
    await expect(newest).not.toBeInViewport()
    await jump.click()
    await expect(newest).toBeInViewport()
    await expect(jump).toHaveCount(0)
    // Opened at a message far up (as from a search result), the newest messages aren't in the list at all: the button
    // opens the chat at its end.
    await page.evaluate("location.hash = '#/chat/long-chat/message/m300'")
    await expect.poll(() => inView(page, 'm300')).toBe(true)
    await jump.click()
    await expect(newest).toBeInViewport()
    await expect(jump).toHaveCount(0)
    // End does what the button does, outside text fields (in the composer it moves the caret): from far up, and from a
    // few screens up.
    await page.evaluate("location.hash = '#/chat/long-chat/message/m300'")
    await expect.poll(() => inView(page, 'm300')).toBe(true)
    await expect(jump).toBeVisible()
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('End')
    await expect(newest).toBeInViewport()
    await expect(jump).toHaveCount(0)
    // Scrolled once the list is where it opened (it would scroll back to its end before).
    await placed(page)
    await page.waitForTimeout(200)
    await wheelUp(page, 3000)
    await expect(jump).toBeVisible()
    await page.getByTestId('composer-input').focus()
    await page.keyboard.press('End')
    await expect(newest).not.toBeInViewport()
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('End')
    await expect(newest).toBeInViewport()
    await expect(jump).toHaveCount(0)
  })

  test('opened at its end, a long chat shows its last answer at the bottom the frame it is drawn, and it stays there as the rows above come', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await watchTheEnd(page, 'm199')
    await importAndOpen(page, longArchive(200), 200)
    await expect(row(page, 'm199')).toBeInViewport()
    await placed(page)
    await expect(row(page, 'm190')).toBeInViewport()
    await page.waitForTimeout(300)
    // Its last rows drawn first (Virtuoso, opened at its last row, hid them for four frames and then 150 ms: 9 frames
    // or more), then the rows above prepended: never hidden, and the same distance from the bottom in every frame (a
    // pixel of rounding aside; a row above measured taller than guessed moved it down by 18 px for a frame).
    const frames = await endFrames(page)
    expect(frames.hidden).toBe(0)
    expect(frames.atBottomHidden).toBe(0)
    expect(Math.max(...frames.gaps) - Math.min(...frames.gaps), `distances from the bottom: ${frames.gaps.join(", ")}`).toBeLessThanOrEqual(1)
  })

  test('opened at its end, a long chat whose last answer is taller than the view opens at its bottom, and scrolls up through it', async ({ chat }) => {
    const { page } = chat
    await chat.open()
    await watchTheEnd(page, 'm199')
    // Shown as soon as the answer's end is at the bottom. (Were the rows above taken to be as tall as it, as Virtuoso
    // guesses the size of rows it hasn't measured from the first it has, a scroll up would be carried back down.)
    const tall = Array.from({ length: 80 }, (_, line) => `Line ${line} of a long answer.`).join('\n\n')
    await importAndOpen(page, longArchive(200, tall), 200)
    await expect(page.getByText('Line 79 of a long answer.')).toBeInViewport()
    await placed(page)
    expect((await endFrames(page)).atBottomHidden).toBe(0)
    await expect(page.getByText('Line 0 of a long answer.')).not.toBeInViewport()
    // Up through the answer, a few wheel turns at a time, to the rows above it: never carried back to the bottom. The
    // answer's place in the view says so, not scrollTop, which grows by their height when the rows of a page read
    // above are put in (the view stays where it was; under load such a page came between two turns and failed this).
    const answerTop = async (): Promise<number | undefined> => {
      if ((await row(page, 'm199').count()) === 0) return undefined
      const [box, list] = await Promise.all([row(page, 'm199').boundingBox(), page.locator('.chat-list').boundingBox()])
      return box && list ? box.y - list.y : undefined
    }
    let below = (await answerTop()) ?? Number.NEGATIVE_INFINITY
    for (let step = 0; step < 40 && !(await inView(page, 'm197')); step++) {
      await page.locator('.chat-list').evaluate((list) => list.scrollBy(0, -300))
      await page.waitForTimeout(50)
      const now = await answerTop()
      // Not drawn this moment (a placeholder while the list moves fast, or far below the view): the next look compares.
      if (now === undefined) continue
      expect(now).toBeGreaterThan(below)
      below = now
    }
    // At rest, the reader is above the answer (its rows measured, a row may sit a few pixels off where it was drawn).
    await expect.poll(async () => (await topInView(page)) ?? 199).toBeLessThanOrEqual(197)
  })
})

/**
 * Watches every frame from now on: the last row (`lastId`) drawn while the list is hidden, and, shown, its distance
 * from the bottom of the list; and frames where it was drawn at the bottom but hidden. Looked at as the frame is about
 * to be painted: in a ResizeObserver made in that frame's animation callbacks, so the last to be told of sizes, after
 * the app's observers have pinned the list (in the callbacks themselves, the list was seen as a task had left it, a row
 * short of the bottom, and then put right before the paint).
 */
async function watchTheEnd(page: Page, lastId: string): Promise<void> {
  await page.evaluate((id) => {
    const state = { hidden: 0, atBottomHidden: 0, gaps: new Set<number>() }
    Object.assign(globalThis, { __endFrames: state })
    // A pixel in a corner, seen anew each frame: a new observation is told its size in that frame.
    const mark = document.createElement('div')
    mark.style.cssText = 'position: fixed; left: 0; top: 0; width: 1px; height: 1px; pointer-events: none'
    document.body.append(mark)
    let observer: ResizeObserver | undefined
    const look = (): void => {
      const list = document.querySelector<HTMLElement>('.chat-list-frame [data-testid="virtuoso-item-list"]')
      const scroller = document.querySelector<HTMLElement>('.chat-list-frame [data-testid="virtuoso-scroller"]')
      const last = list?.querySelector(`[data-message-id="${id}"]`)
      if (list && scroller && last) {
        const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1
        if (getComputedStyle(list).visibility === 'hidden') {
          state.hidden += 1
          if (atBottom) state.atBottomHidden += 1
        } else state.gaps.add(Math.round(scroller.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom))
      }
    }
    const frame = (): void => {
      observer?.disconnect()
      observer = new ResizeObserver(look)
      observer.observe(mark)
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  }, lastId)
}

async function endFrames(page: Page): Promise<{ hidden: number; atBottomHidden: number; gaps: number[] }> {
  return page.evaluate(() => {
    const { hidden, atBottomHidden, gaps } = (globalThis as unknown as { __endFrames: { hidden: number; atBottomHidden: number; gaps: Set<number> } }).__endFrames
    return { hidden, atBottomHidden, gaps: [...gaps] }
  })
}
