/** What a Copy button says after a click, for `copyShownMs`, then its own label again. */
export type CopyOutcome = 'copied' | 'failed'

/** How long a Copy button says what came of its click. */
export const copyShownMs = 2_000

/** A Copy button's words: its label, or what came of the click a moment ago. */
export function copyLabel(outcome: CopyOutcome | undefined, label = 'Copy'): string {
  return outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy' : label
}
