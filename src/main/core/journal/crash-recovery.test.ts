import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { messageText, settingsSchema, type Message, type RunComplete } from '../../../shared'
import { lastUserText, startScriptedServer, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import { createParleyCore, type ParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
})

describe('a crash of main, for real (SIGKILL of a child process)', () => {
  it('G1, G2: the cut-off answer is finished interrupted with its text, and the queued prompts run in order', async () => {
    server = await startScriptedServer()
    const words = Array.from({ length: 400 }, (_, i) => `w${i} `)
    server.setDefault((req) => (lastUserText(req) === 'long' ? { tokens: words, tokenDelayMs: 10 } : { text: `answer to ${lastUserText(req)}` }))
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-crash-'))
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'test-fixtures', 'crashing-core.ts'), dataDir, server.url], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    const { sessionId } = await new Promise<{ sessionId: string }>((resolve, reject) => {
      child.once('exit', () => reject(new Error('the child core exited early')))
      createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as { sessionId: string }))
    })
    // Let the answer stream for a while: well past one journal checkpoint (about a second).
    await new Promise((resolve) => setTimeout(resolve, 1800))
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const chatsBefore = server.requests.filter((r) => r.path.endsWith('/chat/completions')).length
    expect(chatsBefore).toBe(1) // only the long answer had started

    // Main starts again on the same data folder.
    const finished: Message[] = []
    const completes: RunComplete[] = []
    core = await createParleyCore({
      dataDir,
      secrets: new MemorySecretStore(),
      initialSettings: settingsSchema.parse({
        providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: server.url }],
        models: { large: { providerId: 'scripted', model: 'large' } }
      })
    })
    expect(core.recovery.interrupted.map((i) => i.run.runId)).toEqual(['r1'])
    expect(core.recovery.queued.map((r) => r.runId)).toEqual(['r2', 'r3'])
    const allDone = new Promise<void>((resolve) =>
      core?.service.subscribe(0, (event) => {
        if (event.type === 'message.finished' && event.message.role === 'assistant') finished.push(event.message)
        if (event.type === 'run.complete') completes.push(event.complete)
        if (completes.length === 3) resolve()
      })
    )
    await allDone

    const interrupted = completes.find((c) => c.runId === 'r1')
    expect(interrupted).toMatchObject({ error: 'interrupted', cancelled: false })
    const cut = finished.find((m) => m.runId === 'r1')
    expect(cut?.finishReason).toBe('interrupted')
    // Text up to the last checkpoint: a real part of the answer, in order, and not all of it.
    const text = messageText(cut as Message)
    expect(text.length).toBeGreaterThan(20)
    expect(words.join('').startsWith(text)).toBe(true)
    expect(text).not.toBe(words.join(''))

    expect(completes.filter((c) => c.runId !== 'r1').map((c) => [c.runId, c.text])).toEqual([
      ['r2', 'answer to second'],
      ['r3', 'answer to third']
    ])
    expect(core.agent.sessions.has(sessionId)).toBe(true)
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'))
    expect(chats.map((r) => lastUserText(r))).toEqual(['long', 'second', 'third'])
    // With no window attached, history came from the journal's outbox: the turn after the crash saw the cut answer.
    const second = (chats[1]?.body as { messages: { role: string; content: string }[] }).messages
    expect(second).toEqual([
      { role: 'user', content: 'long' },
      { role: 'assistant', content: text },
      { role: 'user', content: 'second' }
    ])
  })
})
