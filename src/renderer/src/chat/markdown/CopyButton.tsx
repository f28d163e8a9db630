import { useEffect, useState, type JSX } from 'react'
import { copyLabel, copyShownMs, type CopyOutcome } from './copy-outcome'

/** Puts `text` on the clipboard, and says "Copied" (or that it could not) for a moment. */
export function CopyButton(props: { text: string; label?: string }): JSX.Element {
  const [outcome, setOutcome] = useState<CopyOutcome | undefined>(undefined)
  useEffect(() => {
    if (!outcome) return
    const timer = setTimeout(() => setOutcome(undefined), copyShownMs)
    return () => clearTimeout(timer)
  }, [outcome])
  const copy = (): void => {
    navigator.clipboard.writeText(props.text).then(
      () => setOutcome('copied'),
      () => setOutcome('failed')
    )
  }
  return (
    <button type="button" className="button small copy-button" data-testid="copy-code" data-copied={outcome === 'copied'} onClick={copy}>
      {copyLabel(outcome, props.label)}
    </button>
  )
}
