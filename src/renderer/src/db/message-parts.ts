import { partsOf as sharedPartsOf, textsOf, type Message, type Part } from '../../../shared'
import type { StreamingText } from './streaming-store'

/** A message's text and reasoning, each concatenated from its parts (the shared reducer's reading). */
export function streamingTextOf(message: Pick<Message, 'parts'>): StreamingText {
  return textsOf(message)
}

/** The parts main itself writes for an answer: reasoning first (when there is some), then the text. */
export function partsOf(value: StreamingText): Part[] {
  return sharedPartsOf(value)
}
