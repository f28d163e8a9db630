// Issue 13, findings 3-5: every file main reads, damaged every way, on a real data folder. Main starts, keeps what it
// can, copies the damaged file aside, and says what happened (the window shows it as a banner).
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { settingsSchema } from '../../shared'
import { newDataDir, PiecewiseModel } from './journal/test-fixtures/lifetimes'
import { createParleyCore, type ParleyCore } from './parley-core'

let core: ParleyCore | undefined
afterEach(async () => {
  await core?.shutdown()
  core = undefined
})

const settings = settingsSchema.parse({
  providers: [
    { id: 'piecewise', kind: 'openai', name: 'Piecewise', baseUrl: 'http://127.0.0.1:9/v1' },
    { id: 'other', kind: 'anthropic', name: 'Other', baseUrl: 'https://example.invalid' }
  ],
  models: { large: { providerId: 'piecewise', model: 'chat' }, small: { providerId: 'piecewise', model: 'title' } }
})

/** Browser mode's core: keys in secrets.json (no keychain), a model that answers at once. */
function start(dataDir: string): Promise<ParleyCore> {
  const model = new PiecewiseModel()
  return createParleyCore({ dataDir, providerFactory: () => model, initialSettings: settings })
}

/** A data folder with three chats, two keys and a changed setting, written by a real core. */
async function lived(): Promise<{ dataDir: string; chats: string[] }> {
  const dataDir = newDataDir()
  const first = await start(dataDir)
  const chats = ['one', 'two', 'three'].map((title) => first.agent.createSession({ title }).id)
  await first.service.updateSettings({ apiKey: { providerId: 'piecewise', key: 'sk-first' } })
  await first.service.updateSettings({ apiKey: { providerId: 'other', key: 'sk-other' } })
  await first.service.updateSettings({ systemPrompt: 'Be brief.' })
  await first.shutdown()
  return { dataDir, chats }
}

const damages: [string, (path: string) => void][] = [
  ['truncated', (path) => writeFileSync(path, readFileSync(path, 'utf8').slice(0, 20))],
  ['garbage', (path) => writeFileSync(path, Buffer.from([0, 255, 19, 7, 10, 200, 34]))],
  ['the wrong shape', (path) => writeFileSync(path, '[1,2,3]')],
  [
    'a directory',
    (path) => {
      rmSync(path)
      mkdirSync(path)
    }
  ]
]

async function recoveredOf(running: ParleyCore) {
  return (await running.service.getSettings()).recovered ?? []
}

describe('a damaged data folder: main starts, keeps what it can, and says what happened', () => {
  for (const [name, damage] of damages) {
    it(`sessions.json ${name}: main starts, copies it aside, says so, and new chats work`, async () => {
      const { dataDir } = await lived()
      damage(join(dataDir, 'sessions.json'))
      core = await start(dataDir)
      const [found] = await recoveredOf(core)
      expect(found).toMatchObject({ file: 'sessions.json' })
      expect(found?.backupPath).toMatch(/sessions\.json\.corrupt-\d+$/)
      expect(existsSync(found?.backupPath ?? '')).toBe(true)
      const chat = core.agent.createSession({ title: 'after' })
      await expect(core.service.enqueue({ sessionId: chat.id, runId: `r-${name}`, prompt: 'hi' })).resolves.toBeTruthy()
    })

    it(`secrets.json ${name}: main starts without keys, copies it aside and says so`, async () => {
      const { dataDir } = await lived()
      damage(join(dataDir, 'secrets.json'))
      core = await start(dataDir)
      const view = await core.service.getSettings()
      expect(view.recovered?.map((r) => r.file)).toEqual(['secrets.json'])
      expect(view.systemPrompt).toBe('Be brief.')
    })

    it(`settings.json ${name}: main starts with the defaults, copies it aside and says so`, async () => {
      const { dataDir } = await lived()
      damage(join(dataDir, 'settings.json'))
      core = await start(dataDir)
      const view = await core.service.getSettings()
      expect(view.recovered?.map((r) => r.file)).toEqual(['settings.json'])
      expect(view.providers.map((p) => p.id)).toEqual(['piecewise', 'other'])
    })
  }

  it('a damaged sessions.json loses no chat that has messages: each is rebuilt from the session log, titled by its first prompt', async () => {
    const dataDir = newDataDir()
    const first = await start(dataDir)
    const chats: string[] = []
    for (const prompt of ['What is a lighthouse?', 'Plan a week of dinners for two people who like spicy food and hate mushrooms']) {
      const chat = first.agent.createSession({})
      chats.push(chat.id)
      await first.service.run({ sessionId: chat.id, runId: `r-${chats.length}`, prompt })
    }
    const empty = first.agent.createSession({ title: 'never used' })
    // The window acknowledged everything, so the journal no longer holds these chats' events: only the log has them.
    await first.service.ack(first.broker.lastSeq)
    await first.shutdown()
    writeFileSync(join(dataDir, 'sessions.json'), Buffer.from([0, 255, 19, 7]))

    core = await start(dataDir)
    const [found] = await recoveredOf(core)
    expect(found).toMatchObject({ file: 'sessions.json', kept: 2 })
    expect(found?.reason).toMatch(/2 chats were rebuilt from their messages/)
    expect(core.agent.sessions.list().map((s) => [s.id, s.title])).toEqual(
      expect.arrayContaining([
        [chats[0], 'What is a lighthouse?'],
        [chats[1], 'Plan a week of dinners for two people who like spicy food…']
      ])
    )
    // A chat with no message has nothing in the log to come back from.
    expect(core.agent.sessions.has(empty.id)).toBe(false)
    const again = await core.service.run({ sessionId: chats[0] ?? '', runId: 'after', prompt: 'still here?' })
    expect(again.text).toBe('answer to still here?')
    // Written back at once: a second start finds them in the file, with no damage left to report.
    await core.shutdown()
    core = await start(dataDir)
    expect(await recoveredOf(core)).toEqual([])
    expect(core.agent.sessions.list().map((s) => s.id)).toEqual(expect.arrayContaining(chats))
  })

  it('sessions.json with one bad entry keeps every other chat, and their prompts are accepted', async () => {
    const { dataDir, chats } = await lived()
    const path = join(dataDir, 'sessions.json')
    const file = JSON.parse(readFileSync(path, 'utf8')) as { sessions: unknown[] }
    file.sessions.splice(1, 0, { id: 42, title: ['not', 'a', 'title'] })
    writeFileSync(path, JSON.stringify(file))
    core = await start(dataDir)
    const [found] = await recoveredOf(core)
    expect(found).toMatchObject({ file: 'sessions.json', kept: 3, lost: 1 })
    expect(found?.reason).toMatch(/1 chat is not valid \(chat 2/)
    for (const [index, id] of chats.entries()) {
      await expect(core.service.enqueue({ sessionId: id, runId: `kept-${index}`, prompt: 'still here' })).resolves.toBeTruthy()
    }
    // The next save writes the chats kept; the damaged file stays aside, as it was.
    core.agent.createSession({ title: 'four' })
    await core.shutdown()
    core = undefined
    expect((JSON.parse(readFileSync(path, 'utf8')) as { sessions: unknown[] }).sessions).toHaveLength(4)
    expect(readFileSync(found?.backupPath ?? '', 'utf8')).toContain('"not","a","title"')
  })

  it('secrets.json with one bad entry keeps the other keys, and a save does not overwrite them', async () => {
    const { dataDir } = await lived()
    const path = join(dataDir, 'secrets.json')
    writeFileSync(path, JSON.stringify({ piecewise: 'sk-first', other: { nested: true } }))
    core = await start(dataDir)
    expect((await core.service.getSettings()).apiKeys).toEqual({ piecewise: true, other: false })
    expect((await recoveredOf(core))[0]).toMatchObject({ file: 'secrets.json', kept: 1, lost: 1 })
    await core.service.updateSettings({ apiKey: { providerId: 'other', key: 'sk-new' } })
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ piecewise: 'sk-first', other: 'sk-new' })
  })

  it('settings.json with one bad setting keeps the others', async () => {
    const { dataDir } = await lived()
    const path = join(dataDir, 'settings.json')
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    writeFileSync(path, JSON.stringify({ ...file, maxRetries: 'many' }))
    core = await start(dataDir)
    const view = await core.service.getSettings()
    expect(view.systemPrompt).toBe('Be brief.')
    expect(view.maxRetries).toBe(settings.maxRetries)
    expect(view.recovered?.[0]).toMatchObject({ file: 'settings.json', lost: 1 })
    expect(view.recovered?.[0]?.reason).toContain('"maxRetries" not valid')
  })

  it('a provider with a file: address in settings.json is left out, and the others kept', async () => {
    const { dataDir } = await lived()
    const path = join(dataDir, 'settings.json')
    const file = JSON.parse(readFileSync(path, 'utf8')) as { providers: { baseUrl: string }[] }
    const second = file.providers[1]
    if (second) second.baseUrl = 'file:///etc/passwd'
    writeFileSync(path, JSON.stringify(file))
    core = await start(dataDir)
    const view = await core.service.getSettings()
    expect(view.providers.map((p) => p.id)).toEqual(['piecewise'])
    expect(view.recovered?.[0]).toMatchObject({ file: 'settings.json', kept: expect.any(Number), lost: 1 })
  })

  it('journal.jsonl with damaged lines in the middle: counted, copied aside, and the good records kept', async () => {
    const { dataDir, chats } = await lived()
    const path = join(dataDir, 'journal.jsonl')
    appendFileSync(path, 'this line is not a record\n\u0000\u0001garbage\n')
    appendFileSync(path, `${JSON.stringify({ t: 'accepted', run: { runId: 'late', sessionId: chats[0], prompt: 'still queued', enqueuedAt: 1 } })}\n`)
    core = await start(dataDir)
    const [found] = await recoveredOf(core)
    expect(found).toMatchObject({ file: 'journal.jsonl', lost: 2 })
    expect(found?.reason).toBe('2 damaged records were left out')
    expect(readFileSync(found?.backupPath ?? '', 'utf8')).toContain('this line is not a record')
    expect(core.recovery.queued.map((run) => run.runId)).toEqual(['late'])
  })

  it('journal.jsonl ending in random bytes is damage, not a crash: counted too', async () => {
    const { dataDir } = await lived()
    appendFileSync(join(dataDir, 'journal.jsonl'), 'zz\u00ff random tail')
    core = await start(dataDir)
    expect(core.recovery.tornTail).toBe(false)
    expect((await recoveredOf(core))[0]).toMatchObject({ file: 'journal.jsonl', lost: 1 })
  })

  it("journal.jsonl cut mid-record by a crash is a torn line: dropped quietly, as a crash's", async () => {
    const { dataDir } = await lived()
    appendFileSync(join(dataDir, 'journal.jsonl'), '{"t":"acce')
    core = await start(dataDir)
    expect(core.recovery.tornTail).toBe(true)
    expect(await recoveredOf(core)).toEqual([])
  })

  it('a huge sessions.json is not read: moved aside, and the limit named', async () => {
    const { dataDir } = await lived()
    // Sparse: 300 MB long at once, without writing them.
    truncateSync(join(dataDir, 'sessions.json'), 300 * 2 ** 20)
    core = await start(dataDir)
    const [found] = await recoveredOf(core)
    expect(found?.reason).toMatch(/over the 256\.0 MB Parley reads/)
    expect(readdirSync(dataDir).filter((name) => name.startsWith('sessions.json.corrupt-'))).toHaveLength(1)
  })
})

describe('a damaged session log (main’s lmdb message store): moved aside whole, a new one opened, and said', () => {
  const storeFile = (dataDir: string) => join(dataDir, 'session-log', 'data.mdb')
  const logDamages: [string, (dataDir: string) => void, RegExp][] = [
    // Each of the first three crashed the whole process inside lmdb before the store was checked (exit 139).
    ['random bytes in its store', (dataDir) => writeFileSync(storeFile(dataDir), Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 131 + 7) % 256))), /its data\.mdb: it is not an lmdb store|page size/],
    ['its store zeroed', (dataDir) => writeFileSync(storeFile(dataDir), Buffer.alloc(readFileSync(storeFile(dataDir)).length)), /its data\.mdb: /],
    ['its store cut short', (dataDir) => truncateSync(storeFile(dataDir), 3000), /its data\.mdb: it is (cut|too) short/],
    [
      'a directory where its store should be',
      (dataDir) => {
        rmSync(storeFile(dataDir))
        mkdirSync(storeFile(dataDir))
      },
      /its data\.mdb: it is not a file/
    ],
    [
      // lmdb crashed the process on this one too: the lock file is checked as well.
      'a directory where its lock file should be',
      (dataDir) => {
        rmSync(join(dataDir, 'session-log', 'lock.mdb'), { force: true })
        mkdirSync(join(dataDir, 'session-log', 'lock.mdb'))
      },
      /its lock\.mdb: it is not a file/
    ],
    [
      // Past the meta-page check: lmdb itself refuses it (MDB_CORRUPTED), with an error main catches.
      'its tree pages zeroed',
      (dataDir) => writeFileSync(storeFile(dataDir), readFileSync(storeFile(dataDir)).fill(0, 2 * 4096)),
      /it could not be opened \(MDB_CORRUPTED/
    ],
    [
      'a file where its folder should be',
      (dataDir) => {
        rmSync(join(dataDir, 'session-log'), { recursive: true })
        writeFileSync(join(dataDir, 'session-log'), 'not a folder')
      },
      /it is not a folder/
    ]
  ]

  for (const [name, damage, reason] of logDamages) {
    it(`${name}: main starts, the old log is kept aside, the banner says so, and chats work`, async () => {
      const { dataDir, chats } = await lived()
      damage(dataDir)
      core = await start(dataDir)
      const recovered = await recoveredOf(core)
      expect(recovered.map((r) => r.file)).toEqual(['session-log'])
      const [found] = recovered
      expect(found).toMatchObject({ kept: 0, lost: 1 })
      expect(found?.reason).toMatch(reason)
      expect(found?.backupPath).toMatch(/session-log\.corrupt-\d+$/)
      expect(existsSync(found?.backupPath ?? '')).toBe(true)
      // The chats are still listed, and a prompt in an old one and in a new one is answered.
      const fresh = core.agent.createSession({ title: 'after' }).id
      for (const [index, sessionId] of [chats[0] ?? '', fresh].entries()) {
        const accepted = await core.service.enqueue({ sessionId, runId: `log-${index}`, prompt: 'hi' })
        expect(accepted).toBeTruthy()
        await core.service.awaitRun(`log-${index}`)
      }
      await core.shutdown()
      // The new log is sound: the next start has nothing to report.
      core = await start(dataDir)
      expect(await recoveredOf(core)).toEqual([])
    })
  }

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('an unreadable store: moved aside, a new one opened, and said', async () => {
    const { dataDir } = await lived()
    chmodSync(storeFile(dataDir), 0o000)
    core = await start(dataDir)
    const [found] = await recoveredOf(core)
    expect(found).toMatchObject({ file: 'session-log', kept: 0, lost: 1, reason: expect.stringMatching(/could not be read/) })
  })
})
