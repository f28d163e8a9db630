import type { EventOf } from './events'
import type { Message, Part } from './message'

/** The events that change one message. */
export type MessageEvent = EventOf<'message.created'> | EventOf<'message.delta'> | EventOf<'message.finished'>

/** A message's text and reasoning, each concatenated from its parts. */
export interface MessageTexts {
  text: string
  reasoning: string
}

/** A message's text and reasoning, each concatenated from its parts. */
export function textsOf(message: Pick<Message, 'parts'>): MessageTexts {
  let text = ''
  let reasoning = ''
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text
    else reasoning += part.text
  }
  return { text, reasoning }
}

/** The parts main writes for an answer: reasoning first (when there is some), then the text. */
export function partsOf(value: MessageTexts): Part[] {
  const parts: Part[] = []
  if (value.reasoning) parts.push({ type: 'reasoning', text: value.reasoning })
  parts.push({ type: 'text', text: value.text })
  return parts
}

/** A deep enough copy of a message that folding into it never changes the event it came from. */
function copyOf(message: Message): Message {
  return { ...message, parts: message.parts.map((part) => ({ ...part })) }
}

/**
 * How one event changes a message: the one reducer (architecture.md, "One reducer").
 * - `message.created` gives the message as created.
 * - `message.delta` appends its text and reasoning to a streaming message (rule B3); it changes nothing on a message
 *   that is unknown or already finished. (The leading-newline rule of B3 is applied by the agent before it publishes.)
 * - `message.finished` replaces the message with its final form.
 * Pure: it returns a new message and never changes its arguments.
 */
export function foldMessage(current: Message | undefined, event: MessageEvent): Message | undefined {
  switch (event.type) {
    case 'message.created':
    case 'message.finished':
      return copyOf(event.message)
    case 'message.delta': {
      if (!current || current.status === 'finished' || current.id !== event.messageId) return current
      if (!event.text && !event.reasoning) return current
      const texts = textsOf(current)
      return {
        ...current,
        parts: partsOf({ text: texts.text + (event.text ?? ''), reasoning: texts.reasoning + (event.reasoning ?? '') })
      }
    }
  }
}

/** Folds a message's events in order: the message as far as they tell. */
export function foldMessageEvents(events: readonly MessageEvent[], start?: Message): Message | undefined {
  let message = start
  for (const event of events) message = foldMessage(message, event)
  return message
}

/** Two deltas of one message as one, stamped as the later (a slow subscriber's merge, rule F2). */
export function mergeDeltas(a: EventOf<'message.delta'>, b: EventOf<'message.delta'>): EventOf<'message.delta'> {
  const merged: EventOf<'message.delta'> = { type: 'message.delta', sessionId: b.sessionId, messageId: b.messageId, seq: b.seq, at: b.at }
  const text = (a.text ?? '') + (b.text ?? '')
  const reasoning = (a.reasoning ?? '') + (b.reasoning ?? '')
  if (text) merged.text = text
  if (reasoning) merged.reasoning = reasoning
  // The merge starts where its first part with text (or reasoning) started.
  const textOffset = a.text ? a.textOffset : b.textOffset
  const reasoningOffset = a.reasoning ? a.reasoningOffset : b.reasoningOffset
  if (text && textOffset !== undefined) merged.textOffset = textOffset
  if (reasoning && reasoningOffset !== undefined) merged.reasoningOffset = reasoningOffset
  return merged
}

/** Whether an event is one the reducer folds. */
export function isMessageEvent(event: { type: string }): event is MessageEvent {
  return event.type === 'message.created' || event.type === 'message.delta' || event.type === 'message.finished'
}
