import { describe, expect, it } from 'vitest'
import { ParleyError, type ParleyEvent } from '../../../shared'
import { archiveOf } from '../../../shared/testing/archive-fixtures'
import { importChats, type ChatImportOptions } from './chat-import'
import { SessionDirectory } from './session-directory'

function importer(): { options: ChatImportOptions; published: string[]; placed: Set<string>; sessions: SessionDirectory } {
  const published: string[] = []
  const placed = new Set<string>()
  const sessions = new SessionDirectory()
  const options: ChatImportOptions = {
    broker: {
      publish: (event) => {
        const body = event as ParleyEvent
        if (body.type === 'message.created') placed.add(body.message.id)
        published.push(body.type === 'session.created' ? `chat ${body.session.id}` : body.type)
        return { ...body, seq: published.length, at: 1 } as ParleyEvent
      }
    },
    sessions,
    history: { place: (id) => (placed.has(id) ? { sessionId: 'elsewhere' } : undefined) } as ChatImportOptions['history']
  }
  return { options, published, placed, sessions }
}

describe('importChats: a large import lets main go on', () => {
  it('lets main run its other work between chats, each chat published whole', async () => {
    const { options, published } = importer()
    const pause = async (): Promise<void> => {
      published.push('pause')
    }
    expect(await importChats(options, archiveOf(3), pause, 0)).toEqual({ imported: 3, skipped: 0, messages: 3 })
    expect(published).toEqual([
      'chat c0', 'message.created', 'session.branch',
      'pause', 'chat c1', 'message.created', 'session.branch',
      'pause', 'chat c2', 'message.created', 'session.branch'
    ])
  })

  it('skips a chat added while it paused, and refuses the rest if a message of theirs became another chat\'s', async () => {
    const first = importer()
    const addC1 = async (): Promise<void> => {
      if (!first.sessions.has('c1')) first.sessions.add({ id: 'c1', title: 'restored', createdAt: 1, updatedAt: 1 })
    }
    expect(await importChats(first.options, archiveOf(3), addC1, 0)).toEqual({ imported: 2, skipped: 1, messages: 2 })
    expect(first.published.filter((what) => what.startsWith('chat'))).toEqual(['chat c0', 'chat c2'])

    const second = importer()
    const clash = async (): Promise<void> => {
      second.placed.add('m2')
    }
    const refusal = await importChats(second.options, archiveOf(3), clash, 0).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ParleyError)
    expect((refusal as ParleyError).code).toBe('ArchiveInvalid')
    expect((refusal as ParleyError).message).toContain('message id m2 is already in another chat')
    expect((refusal as ParleyError).message).toContain('2 chats before it were imported')
  })

  it('publishes everything in one pass when it is quick (no pause within the slice)', async () => {
    const { options, published } = importer()
    let pauses = 0
    await importChats(options, archiveOf(50), async () => void (pauses += 1), 60_000)
    expect(pauses).toBe(0)
    expect(published.filter((what) => what.startsWith('chat'))).toHaveLength(50)
  })
})
