import type { Message, Part } from '../../../shared'
import type { StreamingText } from './streaming-store'

/** A message's text and reasoning, each concatenated from its parts. */
export function streamingTextOf(message: Pick<Message, 'parts'>): StreamingText {
  let text = ''
  let reasoning = ''
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text
    else reasoning += part.text
  }
  return { text, reasoning }
}

/** The parts main itself writes for an answer: reasoning first (when there is some), then the text. */
export function partsOf(value: StreamingText): Part[] {
  const parts: Part[] = []
  if (value.reasoning) parts.push({ type: 'reasoning', text: value.reasoning })
  parts.push({ type: 'text', text: value.text })
  return parts
}
