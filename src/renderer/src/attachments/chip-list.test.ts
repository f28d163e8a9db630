import { describe, expect, it } from 'vitest'
import type { AttachmentRef } from '../../../shared'
import { attachedRefs, chipList, chipsOfRefs, sendBlocker, type AttachmentChip } from './chip-list'

const ref = (name: string): AttachmentRef => ({ id: name.charCodeAt(0).toString(16).padStart(64, '0'), name, mimeType: 'text/plain', size: 3, kind: 'text' })
const reading = (key: string): AttachmentChip => ({ key, name: `${key}.txt`, size: 3, kind: 'text', thumbnail: null, state: { phase: 'reading', fraction: 0 } })

describe('chipList', () => {
  it('follows a file from reading through uploading to its ref', () => {
    let chips = chipList([], { type: 'added', chips: [reading('a'), reading('b')] })
    chips = chipList(chips, { type: 'progress', key: 'a', fraction: 0.5 })
    expect(chips[0]?.state).toEqual({ phase: 'reading', fraction: 0.5 })
    chips = chipList(chips, { type: 'uploading', key: 'a', thumbnail: 'data:image/webp;base64,AA' })
    chips = chipList(chips, { type: 'attached', key: 'a', ref: ref('main-named.txt') })
    expect(chips[0]).toMatchObject({ name: 'main-named.txt', thumbnail: 'data:image/webp;base64,AA', state: { phase: 'attached' } })
    expect(chips[1]?.state.phase).toBe('reading')
  })

  it('ignores answers for a chip removed while it was on its way', () => {
    let chips = chipList([], { type: 'added', chips: [reading('a')] })
    chips = chipList(chips, { type: 'removed', key: 'a' })
    chips = chipList(chips, { type: 'attached', key: 'a', ref: ref('a.txt') })
    expect(chips).toEqual([])
  })

  it('puts a refused send back ahead of chips attached since, once each', () => {
    const sent = chipsOfRefs([ref('a.txt'), ref('b.txt')])
    const since = chipList([], { type: 'added', chips: [reading('c')] })
    const back = chipList(chipList(since, { type: 'restored', chips: sent }), { type: 'restored', chips: sent })
    expect(back.map((chip) => chip.name)).toEqual(['a.txt', 'b.txt', 'c.txt'])
  })
})

describe('sending', () => {
  it('sends the refs in order once every chip is attached', () => {
    const chips = chipsOfRefs([ref('a.txt'), ref('b.txt')])
    expect(sendBlocker(chips)).toBeNull()
    expect(attachedRefs(chips).map((r) => r.name)).toEqual(['a.txt', 'b.txt'])
  })

  it('holds the prompt while a chip uploads or was refused, saying which', () => {
    expect(sendBlocker([reading('a')])).toBe('Wait until a.txt is attached.')
    const refused = chipList([reading('a')], { type: 'refused', key: 'a', error: 'too big' })
    expect(sendBlocker(refused)).toBe("Remove a.txt first: it can't be sent.")
  })
})
