import { describe, expect, it } from 'vitest'
import type { QueuedPrompt } from '../../../shared'
import type { ActivitySnapshot, SessionRun } from '../activity/session-activity'
import { chatForNewChat } from './new-chat'

function snapshot(runs: Record<string, Partial<SessionRun>> = {}, pending: Record<string, number> = {}): ActivitySnapshot {
  return {
    sessions: new Map(Object.entries(runs).map(([id, run]) => [id, { busy: false, activeRunId: undefined, queue: [], ...run }])),
    pending: new Map(Object.entries(pending).map(([id, n]) => [id, Array.from({ length: n }, (_, i) => ({ runId: `p${i}`, prompt: 'x' }))])),
    providers: new Map()
  }
}

function deps(activity: ActivitySnapshot, counts: Record<string, number> = {}) {
  let made = 0
  return {
    activity,
    countMessages: async (id: string) => counts[id] ?? 0,
    create: async () => `new-${++made}`,
    made: () => made
  }
}

const queued: QueuedPrompt = { runId: 'q', prompt: 'q', enqueuedAt: 0, state: 'queued' }

describe('New chat', () => {
  it('reuses the current chat while it is empty, so empty chats never pile up', async () => {
    const d = deps(snapshot())
    expect(await chatForNewChat(d, 's1')).toBe('s1')
    expect(await chatForNewChat(d, 's1')).toBe('s1')
    expect(d.made()).toBe(0)
  })

  it('makes a new chat when there is none, or the current one has anything in it', async () => {
    expect(await chatForNewChat(deps(snapshot()), undefined)).toBe('new-1')
    expect(await chatForNewChat(deps(snapshot(), { s1: 2 }), 's1')).toBe('new-1')
    expect(await chatForNewChat(deps(snapshot({ s1: { busy: true } })), 's1')).toBe('new-1')
    expect(await chatForNewChat(deps(snapshot({ s1: { queue: [queued] } })), 's1')).toBe('new-1')
    // A prompt on its way to main counts too: the chat is about to have a message.
    expect(await chatForNewChat(deps(snapshot({}, { s1: 1 })), 's1')).toBe('new-1')
  })
})
