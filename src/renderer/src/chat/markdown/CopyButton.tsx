import { useEffect, useState, type JSX } from 'react'

const SHOWN_MS = 2_000

/** Puts `text` on the clipboard, and says "Copied" (or that it could not) for a moment. */
export function CopyButton(props: { text: string; label?: string }): JSX.Element {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | undefined>(undefined)
  useEffect(() => {
    if (!outcome) return
    const timer = setTimeout(() => setOutcome(undefined), SHOWN_MS)
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
      {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy' : (props.label ?? 'Copy')}
    </button>
  )
}
