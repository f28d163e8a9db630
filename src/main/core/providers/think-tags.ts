/**
 * A piece of a streamed answer: the model's thinking, or the answer itself; or word that everything streamed as text
 * so far was thinking (a `</think>` came with no `<think>` before it: the chat template opened the tag in the prompt).
 */
export type ThinkPiece = { kind: 'reasoning' | 'text'; text: string } | { kind: 'text-was-reasoning' }

const open = '<think>'
const close = '</think>'

type State = 'opening' | 'thinking-start' | 'thinking' | 'untagged' | 'answer-start' | 'answer'

/**
 * Splits an answer that starts with `<think>…</think>` (reasoning models served without a reasoning parser: vLLM,
 * older Ollama and LM Studio, some llama.cpp templates) into its reasoning and its answer, as the text streams in.
 * Tags cut between two deltas are held until the next one says what they are; an answer that doesn't start with
 * `<think>` passes through as soon as its first characters rule the tag out.
 *
 * Some chat templates open the tag in the prompt (DeepSeek-R1 and its distills, QwQ), so only `</think>` comes back:
 * until it arrives the thinking can't be told from an answer, and it has already streamed as text. So an answer without
 * `<think>` is watched for a `</think>` (until a `<think>` shows the tags are the answer's own words): when it comes,
 * a `text-was-reasoning` piece says that the text so far was thinking, and what follows is the answer.
 */
export class ThinkTags {
  private state: State = 'opening'
  /** Text held back: leading whitespace and a partial `<think>`, or whitespace and a partial `</think>`. */
  private held = ''

  take(text: string): ThinkPiece[] {
    if (text === '') return []
    if (this.state === 'answer') return [{ kind: 'text', text }]
    this.held += text
    return this.advance()
  }

  /** The stream ended: whatever was held is what it looked like (an unclosed thinking stays reasoning). */
  end(): ThinkPiece[] {
    const held = this.held
    this.held = ''
    if (held === '') return []
    if (this.state === 'thinking' || this.state === 'thinking-start') return [{ kind: 'reasoning', text: held }]
    if (this.state === 'answer-start') return []
    return [{ kind: 'text', text: held }]
  }

  private advance(): ThinkPiece[] {
    const pieces: ThinkPiece[] = []
    for (;;) {
      if (this.state === 'opening') {
        const lead = this.held.trimStart()
        if (lead.startsWith(open)) {
          this.held = lead.slice(open.length)
          this.state = 'thinking-start'
          continue
        }
        if (open.startsWith(lead)) return pieces
        this.state = 'untagged'
        continue
      }
      if (this.state === 'untagged') {
        const closing = this.held.indexOf(close)
        const opening = this.held.indexOf(open)
        if (opening >= 0 && (closing < 0 || opening < closing)) {
          // The answer writes the tags itself (it is about them): nothing here is thinking.
          this.state = 'answer'
          pieces.push({ kind: 'text', text: this.held })
          this.held = ''
          return pieces
        }
        if (closing >= 0) {
          if (closing > 0) pieces.push({ kind: 'text', text: this.held.slice(0, closing) })
          pieces.push({ kind: 'text-was-reasoning' })
          this.held = this.held.slice(closing + close.length)
          this.state = 'answer-start'
          continue
        }
        // Held back: what could be the start of either tag.
        const keep = Math.max(partialSuffix(this.held, close), partialSuffix(this.held, open))
        const text = this.held.slice(0, this.held.length - keep)
        if (text !== '') pieces.push({ kind: 'text', text })
        this.held = this.held.slice(this.held.length - keep)
        return pieces
      }
      if (this.state === 'thinking-start' || this.state === 'answer-start') {
        this.held = this.held.trimStart()
        if (this.held === '') return pieces
        this.state = this.state === 'thinking-start' ? 'thinking' : 'answer'
        if (this.state === 'answer') {
          pieces.push({ kind: 'text', text: this.held })
          this.held = ''
          return pieces
        }
        continue
      }
      if (this.state === 'thinking') {
        const at = this.held.indexOf(close)
        if (at >= 0) {
          const thought = this.held.slice(0, at).trimEnd()
          if (thought !== '') pieces.push({ kind: 'reasoning', text: thought })
          this.held = this.held.slice(at + close.length)
          this.state = 'answer-start'
          continue
        }
        // Held back: what could be the closing tag, and the whitespace before it (the thinking's end is trimmed).
        const tag = partialSuffix(this.held, close)
        const before = this.held.slice(0, this.held.length - tag)
        const keep = tag + before.length - before.trimEnd().length
        const thought = this.held.slice(0, this.held.length - keep)
        if (thought !== '') pieces.push({ kind: 'reasoning', text: thought })
        this.held = this.held.slice(this.held.length - keep)
        return pieces
      }
      return pieces
    }
  }
}

/** How many characters at the end of `text` could be the start of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (tag.startsWith(text.slice(text.length - n))) return n
  return 0
}
