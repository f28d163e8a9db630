import { connect } from 'node:net'
import { expect, test } from './chat-app'

const rustAnswer = `Here is a path that works for most people:

1. **Read _The Rust Programming Language_** (chapters 1–10 first).
2. **Do the Rustlings exercises** alongside the book.
3. **Build something small**: a CLI that renames files, then a tiny web server.

Fight the borrow checker early; it teaches you the model.`

const planAnswer = Array.from(
  'Day 1: ownership, borrowing and slices. Write a word counter. Day 2: structs, enums and pattern matching. Day 3: error handling with Result, then a small CLI that ties it all together.'.split(
    /(?<= )/
  )
)

test('a conversation with markdown, a streaming answer and a queued prompt (the README picture)', async ({ chat, scripted }, testInfo) => {
  const { page } = chat
  scripted.answer((prompt) =>
    prompt.startsWith('What') ? { text: rustAnswer } : prompt.startsWith('Give') ? { tokens: planAnswer, tokenDelayMs: 20, gate: 'plan', gateAfterTokens: 12 } : { text: 'Go next.' }
  )
  scripted.title('Learning Rust')
  await page.setViewportSize({ width: 1100, height: 700 })
  await chat.open()
  await chat.send("What's a good way to learn Rust?")
  await chat.waitForAnswers(1)
  // Markdown is rendered, not shown as asterisks.
  const first = page.locator('[data-testid="message"][data-role="assistant"]').first()
  await expect(first.locator('li')).toHaveCount(3)
  await expect(first.locator('strong').first()).toHaveText('Read The Rust Programming Language')

  await chat.send('Give me a three-day plan')
  const streaming = page.locator('[data-testid="message"][data-role="assistant"]').nth(1)
  await expect(streaming.getByTestId('message-text')).toContainText('borrowing')
  await chat.send('And the same for Go?')
  await expect(page.getByTestId('queued-chip')).toContainText('And the same for Go?')
  await expect(streaming).toHaveAttribute('data-status', 'streaming')
  await expect(page.getByTestId('session-title')).toHaveText('Learning Rust')
  await chat.screenshot(testInfo, 'screenshot')

  // The plan is held mid-answer (not timed), so the queued chip is there however slow the machine is.
  scripted.release('plan')
  await chat.waitForAnswers(3)
})

const codeAnswer = `A memoised Fibonacci in TypeScript:

\`\`\`ts
const memo = new Map<number, bigint>()

export function fib(n: number): bigint {
  if (n < 2) return BigInt(n)
  const known = memo.get(n)
  if (known !== undefined) return known
  const value = fib(n - 1) + fib(n - 2) // each n is computed once
  memo.set(n, value)
  return value
}
\`\`\`

| n | fib(n) |
|---:|---:|
| 10 | 55 |
| 50 | 12,586,269,025 |

It grows like Binet's formula says:

$$
F_n = \\frac{\\varphi^n - \\psi^n}{\\sqrt{5}}, \\qquad \\varphi = \\frac{1 + \\sqrt{5}}{2}
$$`

test('an answer with highlighted code, a table and math (the README picture)', async ({ chat, scripted }, testInfo) => {
  const { page } = chat
  scripted.answer(() => ({ text: codeAnswer }))
  scripted.title('Fibonacci in TypeScript')
  await page.setViewportSize({ width: 1100, height: 760 })
  await chat.open()
  await chat.send('Fibonacci in TypeScript, fast, with the maths behind it?')
  await chat.waitForAnswers(1)
  const answer = page.locator('[data-testid="message"][data-role="assistant"]')
  await expect(answer.getByTestId('code-block')).toHaveAttribute('data-highlighted', 'true')
  await expect(answer.locator('.katex-display')).toBeVisible()
  await expect(page.getByTestId('session-title')).toHaveText('Fibonacci in TypeScript')
  await chat.screenshot(testInfo, 'markdown')
})

/** Whether something accepts connections on this local port (a real Ollama, on a developer's machine). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

test.describe('a first start with no Ollama running', () => {
  // A fresh install's settings, as written: Ollama at its usual address.
  test.use({
    dataDirFiles: {
      'settings.json': JSON.stringify({
        providers: [{ id: 'ollama', kind: 'openai', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1' }],
        models: { large: { providerId: 'ollama', model: 'llama3.2' } }
      })
    }
  })

  test('the welcome says how to get a model (the README picture)', async ({ chat }, testInfo) => {
    test.skip(await listening(11434), 'something answers on 127.0.0.1:11434 (a real Ollama?), so there is nothing to guide')
    await chat.page.setViewportSize({ width: 1100, height: 700 })
    await chat.open()
    await expect(chat.page.getByTestId('welcome')).toHaveAttribute('data-step', 'failed')
    await expect(chat.page.getByTestId('welcome-ollama-steps')).toContainText('ollama pull llama3.2')
    await chat.screenshot(testInfo, 'welcome')
  })
})
