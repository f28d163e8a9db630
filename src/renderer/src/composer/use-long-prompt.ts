import { useState } from 'react'

export interface LongPrompt {
  /** The sentence under the box while the prompt is over main's limit; null while it isn't. */
  text: string | null
  /** How many Sends it refused: the notice is drawn anew for each (its key), so a screen reader reads it again. */
  refusals: number
  /** Refuses a Send (or Save) of a prompt too long to go as text; true when it did (never main's refusal). */
  refuse: () => boolean
}

/**
 * A prompt over main's limit, said at once under the box, and said again by each Send it refuses. `text` is the
 * sentence while it is over (the composer's `longPromptText`, the edit box's own), null while it isn't.
 */
export function useLongPrompt(text: string | null): LongPrompt {
  const [refusals, setRefusals] = useState(0)
  const refuse = (): boolean => {
    if (text === null) return false
    setRefusals((count) => count + 1)
    return true
  }
  return { text, refusals, refuse }
}
