import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newDataDir, startCore } from '../journal/test-fixtures/lifetimes'

/** Runs the flooding core until it kills itself; answers the changes it printed (each one answered before the kill). */
async function floodThenKill(dataDir: string, answers: number, seed: number): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'test-fixtures', 'chat-flood-core.ts'), dataDir, String(answers), String(seed)],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, exitSignal) => resolve(exitSignal)))
  expect(signal).toBe('SIGKILL')
  return out.split('\n').filter((line) => line.length > 0)
}

describe('the chat list across a crash (issue 13: coalesced writes lose nothing)', () => {
  for (const [answers, seed] of [
    [30, 7],
    [160, 11],
    [400, 23]
  ] as const) {
    it(`SIGKILL during a flood of chat changes (${answers} answered): every answered create, rename and delete is there after the restart`, async () => {
      const dataDir = newDataDir()
      const lines = await floodThenKill(dataDir, answers, seed)
      expect(lines.length).toBeGreaterThanOrEqual(answers)

      const expected = new Map<string, string>()
      const deleted = new Set<string>()
      for (const line of lines) {
        const [what, id = '', ...rest] = line.split(' ')
        if (what === 'created') expected.set(id, '')
        else if (what === 'renamed') expected.set(id, rest.join(' '))
        else if (what === 'deleted') deleted.add(id)
      }
      const core = await startCore(dataDir)
      try {
        const found = new Map(core.agent.sessions.list().map((session) => [session.id, session.title]))
        for (const [id, title] of expected) {
          if (deleted.has(id)) expect(found.has(id), `deleted chat ${id} came back`).toBe(false)
          else {
            expect(found.has(id), `answered chat ${id} was lost`).toBe(true)
            if (title) expect(found.get(id)).toBe(title)
          }
        }
        // New chats still work, numbered after everything the killed main published.
        const next = await core.service.createSession({ title: 'after the crash' })
        expect(core.agent.sessions.get(next.id)?.title).toBe('after the crash')
      } finally {
        await core.shutdown()
      }
    })
  }
})
