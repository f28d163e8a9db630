import type { JSX } from 'react'
import { keyNeedText, type KeyNeed } from './provider-presets'

export interface KeyFieldProps {
  /** The input's id, for its label. */
  id: string
  testIdPrefix: string
  /** Whether main holds a key for this provider: all the window ever knows of it. */
  hasKey: boolean
  /** A new key typed, not saved yet. */
  value: string
  clearKey: boolean
  need: KeyNeed | undefined
  onChange: (change: { apiKey: string; clearKey: boolean }) => void
}

/** An API key: set, replaced or forgotten. The stored key is never shown, only whether there is one. */
export function KeyField(props: KeyFieldProps): JSX.Element {
  const { id, testIdPrefix: p, hasKey, value, clearKey, need } = props
  const state = clearKey
    ? 'The key will be forgotten when you save.'
    : value.trim()
      ? hasKey
        ? 'The new key replaces the stored one when you save.'
        : 'The key is kept when you save.'
      : hasKey
        ? 'A key is set.'
        : 'No key is set.'
  return (
    <>
      <label htmlFor={id}>API key</label>
      <div className="field-row">
        <input
          id={id}
          data-testid={`${p}-api-key`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={hasKey ? 'Type a new key to replace it' : need === 'required' ? 'Paste your API key' : 'No key (local servers need none)'}
          onChange={(event) => props.onChange({ apiKey: event.target.value, clearKey: false })}
        />
        {hasKey ? (
          <button
            type="button"
            className="button small"
            data-testid={`${p}-clear-key`}
            aria-pressed={clearKey}
            onClick={() => props.onChange({ apiKey: '', clearKey: !clearKey })}
          >
            {clearKey ? 'Keep key' : 'Forget key'}
          </button>
        ) : null}
      </div>
      <p className="field-hint" data-testid={`${p}-key-state`}>
        {state} {need ? keyNeedText(need) : null}
      </p>
    </>
  )
}
