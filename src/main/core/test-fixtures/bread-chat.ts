import type { ArchivedChat } from '../../../shared'

const text = (value: string) => [{ type: 'text' as const, text: value }]

/** An archived chat whose second prompt was edited: the edit's branch (u1, a1, u2b, a2b) is the one shown. */
export function breadChat(): ArchivedChat {
  return {
    id: 'bread',
    title: 'Bread',
    titleSource: 'user',
    createdAt: 10,
    updatedAt: 90,
    leafId: 'a2b',
    messages: [
      { id: 'u1', parentId: null, role: 'user', parts: text('Is my starter dead?'), createdAt: 10 },
      { id: 'a1', parentId: 'u1', role: 'assistant', parts: text('It is hungry.'), createdAt: 20, finishReason: 'end_turn' },
      { id: 'u2', parentId: 'a1', role: 'user', parts: text('How often?'), createdAt: 30 },
      { id: 'a2', parentId: 'u2', role: 'assistant', parts: text('Once a day.'), createdAt: 40, finishReason: 'end_turn' },
      { id: 'u2b', parentId: 'a1', role: 'user', parts: text('How often, warm?'), createdAt: 50 },
      { id: 'a2b', parentId: 'u2b', role: 'assistant', parts: text('Twice a day.'), createdAt: 60, finishReason: 'end_turn' }
    ]
  }
}
