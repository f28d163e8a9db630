import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { lastUserText, startScriptedServer, type ScriptedServer } from '../../../../e2e/fixtures/scripted-server'
import type { ParleyCore } from '../parley-core'
import { completeOf, coreOnServer } from './test-fixtures/core-on-server'
import { tinyPng } from './test-fixtures/tiny-pdf'

let server: ScriptedServer | undefined
let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  await server?.close()
  core = server = undefined
})

describe('a queued prompt with an image survives a crash of main (SIGKILL of a real child process)', () => {
  it('G1: after the restart it runs with its image, exactly the file’s bytes', async () => {
    server = await startScriptedServer()
    server.setDefault((req) => (lastUserText(req) === 'hold' ? { text: 'held', gate: 'hold' } : { text: `answer to ${lastUserText(req)}` }))
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-att-crash-'))
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-fixtures', 'queued-attachment-core.ts'), dataDir, server.url],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    const told = await new Promise<{ sessionId: string; state: string }>((resolve, reject) => {
      child.once('exit', () => reject(new Error('the child core exited early')))
      createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as { sessionId: string; state: string }))
    })
    expect(told.state).toBe('queued')
    await server.waitForGate('hold')
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    server.release('hold')

    core = await coreOnServer(server.url, { dataDir })
    expect(core.recovery.queued.map((run) => [run.runId, run.attachments?.map((ref) => ref.name)])).toEqual([['r2', ['dot.png']]])
    const done = await completeOf(core, 'r2')
    expect(done.text).toBe('answer to with image')
    const sent = server.requests.find((r) => lastUserText(r) === 'with image' && (r.body as { model?: string }).model !== 'title')
    const messages = (sent?.body as { messages: { role: string; content: unknown }[] }).messages
    expect(messages.at(-1)?.content).toEqual([
      { type: 'text', text: 'with image' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${tinyPng.toString('base64')}` } }
    ])
  })
})
