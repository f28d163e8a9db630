import { describe, expect, it } from 'vitest'
import type { DataRecovery } from '../../../shared'
import { SessionDirectory } from '../agent/session-directory'
import { chatFromLog, rebuildLostChats, type ChatInLog } from './chats-from-log'

const inLog = (sessionId: string, text: string, role: 'user' | 'assistant' = 'user'): ChatInLog => ({
  sessionId,
  first: { role, parts: [{ type: 'reasoning', text: 'hidden' }, { type: 'text', text }], createdAt: 10 },
  lastAt: 99
})

describe('chats rebuilt from the session log', () => {
  it('are titled by their first prompt, cut at a word, as a fallback title, with the times of their messages', () => {
    expect(chatFromLog(inLog('a', '  What   is\na lighthouse? '))).toEqual({
      id: 'a',
      title: 'What is a lighthouse?',
      titleSource: 'fallback',
      createdAt: 10,
      updatedAt: 99
    })
    const long = chatFromLog(inLog('b', 'word '.repeat(40))).title ?? ''
    expect(long.length).toBeLessThanOrEqual(60)
    expect(long).toMatch(/word…$/)
    expect(chatFromLog(inLog('c', 'an answer first', 'assistant')).title).toBe('Recovered chat')
    expect(chatFromLog(inLog('d', '   ')).title).toBe('Recovered chat')
  })

  it('only the chats the directory lacks come back, and the banner counts them', () => {
    const directory = new SessionDirectory()
    directory.add({ id: 'kept', title: 'Kept', createdAt: 1, updatedAt: 1 })
    const recovery: DataRecovery = { file: 'sessions.json', backupPath: '/x', reason: 'it is not JSON', kept: 0, lost: 1 }
    expect(rebuildLostChats([inLog('kept', 'other'), inLog('lost', 'Hello')], directory, recovery)).toBe(1)
    expect(directory.get('kept')?.title).toBe('Kept')
    expect(directory.get('lost')?.title).toBe('Hello')
    expect(recovery).toMatchObject({ kept: 2, lost: 0 })
    expect(recovery.reason).toBe('it is not JSON; 1 chat was rebuilt from its messages, titled by its first prompt')
  })
})
