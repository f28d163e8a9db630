import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { settingsSchema } from '../../shared'
import { EventBroker } from '../core/events/event-broker'
import { createParleyCore } from '../core/parley-core'
import type { Provider, ProviderEvent } from '../core/providers/provider'
import { MemorySecretStore } from '../core/settings/secret-store'
import { countRuns, trayMenu, trayTooltip, watchRunCounts, type RunCounts, type RunQueries } from './tray-state'

describe("the tray's tooltip", () => {
  it('says idle, how many run, and how many wait', () => {
    expect(trayTooltip({ running: 0, queued: 0 })).toBe('Parley: idle')
    expect(trayTooltip({ running: 1, queued: 0 })).toBe('Parley: 1 running')
    expect(trayTooltip({ running: 2, queued: 3 })).toBe('Parley: 2 running, 3 queued')
    // Prompts waiting for an unreachable provider are queued with nothing running (rule C3).
    expect(trayTooltip({ running: 0, queued: 4 })).toBe('Parley: 4 queued')
  })

  it('says when notifications are paused', () => {
    expect(trayTooltip({ running: 0, queued: 0 }, true)).toBe('Parley: idle (notifications paused)')
    expect(trayTooltip({ running: 1, queued: 2 }, true)).toBe('Parley: 1 running, 2 queued (notifications paused)')
  })
})

describe("the tray's counts", () => {
  it('counts sessions with an active run as running, and every queued prompt', () => {
    const agent: RunQueries = {
      busySessions: () => ['a', 'b', 'c'],
      isSessionBusy: (id) => id !== 'c',
      queuedPrompts: (id) => ({ a: 2, b: 0, c: 1 })[id] ?? 0
    }
    expect(countRuns(agent)).toEqual({ running: 2, queued: 3 })
    expect(countRuns({ busySessions: () => [], isSessionBusy: () => false, queuedPrompts: () => 0 })).toEqual({
      running: 0,
      queued: 0
    })
  })

  it('follows the agent through session.busy, queue.changed and run.complete, and only tells of changes', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const model: Provider = {
      id: 'gated',
      async *stream(request): AsyncIterable<ProviderEvent> {
        const prompt = request.messages.at(-1)?.content
        if (request.model === 'chat' && prompt === 'first') await gate
        yield { type: 'text', text: `answer to ${prompt ?? ''}` }
        yield { type: 'finish', reason: 'end_turn' }
      },
      listModels: async () => ['chat']
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-tray-'))
    const core = await createParleyCore({
      dataDir,
      secrets: new MemorySecretStore(),
      providerFactory: () => model,
      initialSettings: settingsSchema.parse({
        providers: [{ id: 'gated', kind: 'openai', name: 'Gated', baseUrl: 'http://127.0.0.1:9/v1' }],
        models: { large: { providerId: 'gated', model: 'chat' }, small: { providerId: 'gated', model: 'title' } }
      })
    })
    try {
      const seen: RunCounts[] = []
      const stop = watchRunCounts(core.broker, core.agent, (counts) => seen.push(counts))
      const a = core.agent.createSession()
      const b = core.agent.createSession()
      core.agent.enqueue({ sessionId: a.id, prompt: 'first' })
      core.agent.enqueue({ sessionId: a.id, prompt: 'second' })
      core.agent.enqueue({ sessionId: a.id, prompt: 'third' })
      await expect.poll(() => seen.at(-1)).toEqual({ running: 1, queued: 2 })
      core.agent.enqueue({ sessionId: b.id, prompt: 'other' })
      release()
      await core.agent.idle()
      await expect.poll(() => seen.at(-1)).toEqual({ running: 0, queued: 0 })
      expect(seen[0]).toEqual({ running: 0, queued: 0 })
      expect(seen).toContainEqual({ running: 2, queued: 2 })
      // Only changes are told: no two neighbours are the same.
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1])
      stop()
    } finally {
      await core.shutdown()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('does not count the replay of events published before it started', () => {
    const broker = new EventBroker()
    broker.publish({ type: 'session.busy', sessionId: 'old', busy: true })
    let reads = 0
    const agent: RunQueries = {
      busySessions: () => {
        reads += 1
        return []
      },
      isSessionBusy: () => false,
      queuedPrompts: () => 0
    }
    watchRunCounts(broker, agent, () => {})
    expect(reads).toBe(1)
    broker.publish({ type: 'message.delta', sessionId: 'x', messageId: 'm', text: 'hi' })
    expect(reads).toBe(1)
    broker.publish({ type: 'queue.changed', sessionId: 'x', queue: [] })
    expect(reads).toBe(2)
  })
})

describe("the tray's menu", () => {
  it('shows the window, makes a new chat, pauses notifications (a checkbox) and quits', () => {
    expect(trayMenu({ notificationsPaused: false })).toEqual([
      { kind: 'item', action: 'show', label: 'Show Parley' },
      { kind: 'item', action: 'new-chat', label: 'New chat' },
      { kind: 'separator' },
      { kind: 'checkbox', action: 'pause-notifications', label: 'Pause notifications', checked: false },
      { kind: 'separator' },
      { kind: 'item', action: 'quit', label: 'Quit Parley' }
    ])
    expect(trayMenu({ notificationsPaused: true })).toContainEqual({
      kind: 'checkbox',
      action: 'pause-notifications',
      label: 'Pause notifications',
      checked: true
    })
  })
})
