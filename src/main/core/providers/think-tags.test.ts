import { describe, expect, it } from 'vitest'
import { ThinkTags, type ThinkPiece } from './think-tags'

/** Feeds `deltas` and answers the reasoning and the answer as the pieces make them (as the answer writer does). */
function split(deltas: readonly string[]): { reasoning: string; text: string; pieces: ThinkPiece[] } {
  const tags = new ThinkTags()
  const pieces = [...deltas.flatMap((delta) => tags.take(delta)), ...tags.end()]
  let reasoning = ''
  let text = ''
  for (const piece of pieces) {
    if (piece.kind === 'reasoning') reasoning += piece.text
    else if (piece.kind === 'text') text += piece.text
    else {
      reasoning += text
      text = ''
    }
  }
  return { reasoning, text, pieces }
}

describe('ThinkTags', () => {
  it('splits <think>…</think> at the start into reasoning and the answer, however the deltas cut the tags', () => {
    const whole = '<think>\nThe user wants a number.\nSay 4.\n</think>\n\nThe answer is **4**.'
    for (let cut = 1; cut < whole.length; cut++) {
      for (let second = cut + 1; second <= whole.length; second += 7) {
        const deltas = [whole.slice(0, cut), whole.slice(cut, second), whole.slice(second)]
        const { reasoning, text } = split(deltas)
        expect(reasoning).toBe('The user wants a number.\nSay 4.')
        expect(text).toBe('The answer is **4**.')
      }
    }
  })

  it('streams the thinking as it comes, holding back only what could be the closing tag and the space before it', () => {
    const tags = new ThinkTags()
    expect(tags.take('<think>Let me')).toEqual([{ kind: 'reasoning', text: 'Let me' }])
    expect(tags.take(' see </thi')).toEqual([{ kind: 'reasoning', text: ' see' }])
    expect(tags.take('nk> Done')).toEqual([{ kind: 'text', text: 'Done' }])
    expect(tags.take(' <think> stays text')).toEqual([{ kind: 'text', text: ' <think> stays text' }])
  })

  it('leaves an answer without the tag untouched, as soon as its start rules the tag out', () => {
    const tags = new ThinkTags()
    expect(tags.take('  <th')).toEqual([])
    expect(tags.take('is is html')).toEqual([{ kind: 'text', text: '  <this is html' }])
    expect(split(['Hello', ' world']).pieces).toEqual([
      { kind: 'text', text: 'Hello' },
      { kind: 'text', text: ' world' }
    ])
    expect(split(['a <think> b </think> c']).text).toBe('a <think> b </think> c')
    expect(split(['   ']).text).toBe('   ')
    expect(split(['<thi']).text).toBe('<thi')
  })

  it('an unclosed thinking (the answer cut off) stays reasoning, and an empty answer after it is empty', () => {
    expect(split(['<think>still thinking when the tokens ran ou'])).toMatchObject({ reasoning: 'still thinking when the tokens ran ou', text: '' })
    expect(split(['<think>hmm</think>', '\n\n'])).toMatchObject({ reasoning: 'hmm', text: '' })
    expect(split(['<think>hmm</th'])).toMatchObject({ reasoning: 'hmm</th', text: '' })
  })

  it('a lone </think> (the template opened the tag in the prompt): the text before it was thinking, however the deltas cut it', () => {
    const whole = 'The user wants a number.\nSay 4.\n</think>\n\nThe answer is **4**.'
    for (let cut = 1; cut < whole.length; cut++) {
      for (let second = cut + 1; second <= whole.length; second += 5) {
        const { reasoning, text } = split([whole.slice(0, cut), whole.slice(cut, second), whole.slice(second)])
        expect(reasoning.trim()).toBe('The user wants a number.\nSay 4.')
        expect(text).toBe('The answer is **4**.')
      }
    }
    // The thinking streams as text (it can't be told from an answer yet), holding back only what could be a tag.
    const tags = new ThinkTags()
    expect(tags.take('Hmm, 2+2 </thi')).toEqual([{ kind: 'text', text: 'Hmm, 2+2 ' }])
    expect(tags.take('nk>4')).toEqual([{ kind: 'text-was-reasoning' }, { kind: 'text', text: '4' }])
    expect(tags.take(' and </think> again')).toEqual([{ kind: 'text', text: ' and </think> again' }])
  })

  it('an answer that writes the tags itself (<think> first) keeps them as its words, and one with neither is untouched', () => {
    expect(split(['Use <think>', ' and </think> to mark it.'])).toMatchObject({ reasoning: '', text: 'Use <think> and </think> to mark it.' })
    expect(split(['Plain ', 'answer <', 'b>bold</b>'])).toMatchObject({ reasoning: '', text: 'Plain answer <b>bold</b>' })
  })
})
