import { describe, expect, it } from 'vitest'
import { markdownBlocks as blocksOf } from './markdown-blocks'

const markdownBlocks = (source: string): string[] => blocksOf(source).map((block) => block.text)

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

  it('marks only a fenced block still waiting for its closing fence as open', () => {
    expect(blocksOf('Intro\n\n```ts\nconst a = 1\n```')).toEqual([
      { text: 'Intro', open: false },
      { text: '```ts\nconst a = 1\n```', open: false }
    ])
    expect(blocksOf('Intro\n\n```ts\nconst a = 1').at(-1)).toEqual({ text: '```ts\nconst a = 1', open: true })
  })

  it('splits a text of 100,000 paragraphs into as many blocks', () => {
    // Each blank line looks ahead through a table built once (nextNonBlank), not through the rest of the text.
    const source = 'line\n\n'.repeat(100_000)
    expect(markdownBlocks(source)).toHaveLength(100_000)
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
