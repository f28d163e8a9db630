import { describe, expect, it } from 'vitest'
import { archivedBranch, archivedChat, chatAsMarkdown, readArchive, type ChatArchive } from './chat-archive'
import type { Message } from './message'
import type { Session } from './session'

const session: Session = { id: 's1', title: 'Bread', titleSource: 'user', createdAt: 1000, updatedAt: 9000 }

function message(id: string, parentId: string | null, role: Message['role'], text: string, createdAt: number): Message {
  return { id, sessionId: 's1', runId: `r-${id}`, role, parts: [{ type: 'text', text }], status: 'finished', createdAt, parentId }
}

/** u1 → a1 → (u2 → a2) | (u2b → a2b): an edit of the second prompt made a branch; the older one is shown. */
const tree: Message[] = [
  message('u1', null, 'user', 'Is my starter dead?', 10),
  message('a1', 'u1', 'assistant', 'It is hungry.', 20),
  message('u2', 'a1', 'user', 'How often should I feed it?', 30),
  message('a2', 'u2', 'assistant', 'Once a day.', 40),
  message('u2b', 'a1', 'user', 'And in a warm kitchen?', 60),
  message('a2b', 'u2b', 'assistant', 'Twice a day.', 70)
]

function archiveOf(chats: unknown[]): unknown {
  return { format: 'parley.chats', version: 1, exportedAt: 5, chats }
}

function validArchive(): ChatArchive {
  return { format: 'parley.chats', version: 1, exportedAt: 5, chats: [archivedChat(session, 'a2', tree)] }
}

function problemsOf(value: unknown): string[] {
  const reading = readArchive(value)
  if (reading.ok) throw new Error('expected problems')
  return reading.problems
}

describe('archivedChat', () => {
  it('keeps the whole tree, parents before children, and the leaf shown', () => {
    const chat = archivedChat(session, 'a2', tree)
    expect(chat.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'u2b', 'a2b'])
    expect(chat.leafId).toBe('a2')
    expect(chat.messages.find((m) => m.id === 'u2b')?.parentId).toBe('a1')
    expect(archivedBranch(chat).map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2'])
  })

  it('round-trips through JSON and the reader unchanged', () => {
    const archive = validArchive()
    const reading = readArchive(JSON.parse(JSON.stringify(archive)))
    expect(reading).toEqual({ ok: true, archive })
  })

  it('leaves out a message still streaming, and a leaf that is not kept falls back to the newest message', () => {
    const streaming: Message = { ...message('a3', 'a2', 'assistant', 'Tw', 80), status: 'streaming' }
    const chat = archivedChat(session, 'a3', [...tree, streaming])
    expect(chat.messages.map((m) => m.id)).not.toContain('a3')
    expect(chat.leafId).toBe('a2b')
  })

  it('makes a message from before the tree (no parentId) follow the one created before it', () => {
    const linear = tree.slice(0, 4).map(({ parentId: _parentId, ...rest }) => rest)
    const chat = archivedChat(session, null, linear)
    expect(chat.messages.map((m) => m.parentId)).toEqual([null, 'u1', 'a1', 'u2'])
    expect(archivedBranch(chat).map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2'])
  })

  it('makes a message whose parent is gone a root', () => {
    const chat = archivedChat(session, 'a2', tree.filter((m) => m.id !== 'u1'))
    expect(chat.messages.find((m) => m.id === 'a1')?.parentId).toBeNull()
    expect(readArchive(archiveOf([chat])).ok).toBe(true)
  })
})

describe('readArchive names what is wrong and where', () => {
  it('refuses a version it does not know, saying a newer Parley wrote it and which versions this one reads', () => {
    expect(problemsOf({ ...validArchive(), version: 3 })).toEqual([
      'This file was exported by a newer Parley (format version 3); this one reads version 1 and 2.'
    ])
    expect(problemsOf({ ...validArchive(), version: '2' })).toEqual([
      `version: "2" is not a version of Parley's export format; this one reads version 1 and 2.`
    ])
    expect(problemsOf({ ...validArchive(), version: 0 })).toEqual([expect.stringMatching(/^version: 0 is not a version/)])
  })

  it('refuses a file that is not an archive at all', () => {
    expect(problemsOf({ hello: 'world' }).join('\n')).toMatch(/format/)
    expect(problemsOf([1, 2]).join('\n')).toMatch(/\(the file\)/)
  })

  it('names a message id that appears twice in a chat', () => {
    const archive = validArchive()
    const chat = archive.chats[0]!
    chat.messages.push({ ...chat.messages[1]!, parentId: 'a1' })
    expect(problemsOf(archive)).toContain('chats[0].messages[6].id: message id a1 appears twice')
  })

  it('names a parent that is not an earlier message', () => {
    const archive = validArchive()
    const chat = archive.chats[0]!
    const [first, second] = chat.messages
    chat.messages.splice(0, 2, second!, first!)
    expect(problemsOf(archive)).toContain('chats[0].messages[0].parentId: parent u1 is not an earlier message of this chat')
  })

  it('names a leaf that is not in the chat', () => {
    const archive = validArchive()
    archive.chats[0]!.leafId = 'nowhere'
    expect(problemsOf(archive)).toEqual(['chats[0].leafId: leaf nowhere is not a message of this chat'])
  })

  it('names a chat id twice, and a message id shared by two chats', () => {
    const archive = validArchive()
    archive.chats.push({ ...archive.chats[0]! })
    const problems = problemsOf(archive)
    expect(problems).toContain('chats[1].id: chat id s1 appears twice')
    expect(problems).toContain('chats[1].messages[0].id: message id u1 is also in chats[0]')
  })

  it('names a wrong field deep inside, and an unknown one', () => {
    const archive = JSON.parse(JSON.stringify(validArchive())) as { chats: { messages: Record<string, unknown>[] }[] }
    archive.chats[0]!.messages[3]!.role = 'wizard'
    archive.chats[0]!.messages[4]!.colour = 'blue'
    const problems = problemsOf(archive)
    expect(problems.some((p) => p.startsWith('chats[0].messages[3].role:'))).toBe(true)
    expect(problems.some((p) => p.startsWith('chats[0].messages[4]:') && p.includes('colour'))).toBe(true)
  })

  it('names at most 20 problems', () => {
    const chats = Array.from({ length: 30 }, (_, index) => ({ id: `c${index}` }))
    expect(problemsOf(archiveOf(chats))).toHaveLength(20)
  })
})

describe('chatAsMarkdown', () => {
  it('names a message’s files under it; a prompt of only files has no "(no text)"', () => {
    const report = { id: 'a'.repeat(64), name: 'report.pdf', mimeType: 'application/pdf', size: 9, kind: 'pdf' as const }
    const photo = { id: 'b'.repeat(64), name: 'photo.png', mimeType: 'image/png', size: 9, kind: 'image' as const }
    const withFiles: Message[] = [
      { ...message('u1', null, 'user', 'What is in these?', 10), attachments: [report, photo] },
      message('a1', 'u1', 'assistant', 'A report and a photo.', 20),
      { ...message('u2', 'a1', 'user', '', 30), attachments: [photo] }
    ]
    const markdown = chatAsMarkdown(archivedChat(session, 'u2', withFiles))
    expect(markdown).toContain('## You\n\nWhat is in these?\n\nAttached: report.pdf, photo.png\n\n## Assistant')
    expect(markdown.endsWith('## You\n\nAttached: photo.png\n')).toBe(true)
    expect(markdown).not.toContain('(no text)')
  })

  it('writes the title and the branch shown, each message under its speaker', () => {
    const markdown = chatAsMarkdown(archivedChat(session, 'a2b', tree))
    expect(markdown).toBe(
      [
        '# Bread',
        '',
        '## You',
        '',
        'Is my starter dead?',
        '',
        '## Assistant',
        '',
        'It is hungry.',
        '',
        '## You',
        '',
        'And in a warm kitchen?',
        '',
        '## Assistant',
        '',
        'Twice a day.',
        ''
      ].join('\n')
    )
  })
})
