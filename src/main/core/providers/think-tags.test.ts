import { describe, expect, it } from 'vitest'
import { ThinkTags, type ThinkPiece } from './think-tags'

/** Feeds `deltas` and answers the reasoning and the answer as joined from the pieces. */
function split(deltas: readonly string[]): { reasoning: string; text: string; pieces: ThinkPiece[] } {
  const tags = new ThinkTags()
  const pieces = [...deltas.flatMap((delta) => tags.take(delta)), ...tags.end()]
  const joined = (kind: ThinkPiece['kind']): string => pieces.filter((p) => p.kind === kind).map((p) => p.text).join('')
  return { reasoning: joined('reasoning'), text: joined('text'), pieces }
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
    expect(split(['a </think> b']).text).toBe('a </think> b')
    expect(split(['   ']).text).toBe('   ')
    expect(split(['<thi']).text).toBe('<thi')
  })

  it('an unclosed thinking (the answer cut off) stays reasoning, and an empty answer after it is empty', () => {
    expect(split(['<think>still thinking when the tokens ran ou'])).toMatchObject({ reasoning: 'still thinking when the tokens ran ou', text: '' })
    expect(split(['<think>hmm</think>', '\n\n'])).toMatchObject({ reasoning: 'hmm', text: '' })
    expect(split(['<think>hmm</th'])).toMatchObject({ reasoning: 'hmm</th', text: '' })
  })
})
