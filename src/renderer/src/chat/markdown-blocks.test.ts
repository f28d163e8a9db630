import { describe, expect, it } from 'vitest'
import { markdownBlocks } from './markdown-blocks'

describe('markdownBlocks', () => {
  it('splits paragraphs at blank lines', () => {
    expect(markdownBlocks('# Title\n\nOne\ntwo\n\n\nThree')).toEqual(['# Title', 'One\ntwo', 'Three'])
  })

  it('keeps a fenced code block whole, blank lines and all, even while it is still open', () => {
    const code = '```ts\nconst a = 1\n\nconst b = 2\n```'
    expect(markdownBlocks(`Intro\n\n${code}\n\nAfter`)).toEqual(['Intro', code, 'After'])
    expect(markdownBlocks('```\nopen\n\nstill open')).toEqual(['```\nopen\n\nstill open'])
    expect(markdownBlocks('~~~~\n```\n\n~~~~\n\nx')).toEqual(['~~~~\n```\n\n~~~~', 'x'])
  })

  it('keeps a loose list and its indented continuations in one block', () => {
    const list = '1. first\n\n   more about first\n\n2. second'
    expect(markdownBlocks(`${list}\n\nAfter the list`)).toEqual([list, 'After the list'])
  })

  it('gives nothing for empty text', () => {
    expect(markdownBlocks('')).toEqual([])
    expect(markdownBlocks('\n\n')).toEqual([])
  })

  it('loses no text: the blocks joined are the source, less the blank lines between them', () => {
    const source = 'a\n\n- x\n- y\n\n```\n\n```\n\nb'
    expect(markdownBlocks(source).join('\n\n')).toBe(source)
  })
})
