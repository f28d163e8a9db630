import type { ChatArchive } from '../chat-archive'

/** A version-1 archive of `count` chats of one prompt each (`c0`…, its message `m0`…), every prompt `text`. */
export function archiveOf(count: number, text = 'hello'): ChatArchive {
  const chats = Array.from({ length: count }, (_, index) => ({
    id: `c${index}`,
    title: null,
    createdAt: 1,
    updatedAt: 1,
    leafId: `m${index}`,
    messages: [{ id: `m${index}`, parentId: null, role: 'user' as const, parts: [{ type: 'text' as const, text }], createdAt: 1 }]
  }))
  return { format: 'parley.chats', version: 1, exportedAt: 1, chats }
}
