import { useId, useState, type JSX, type ReactNode } from 'react'
import type { ProviderTest } from '../../../shared'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { TextWithCode } from '../ui/TextWithCode'
import { KeyField } from './KeyField'
import { presetById } from './provider-presets'
import { providerTarget, type ProviderDraft } from './settings-form'

export type Probe = { tone: 'ok' | 'error'; text: string } | undefined

export interface ProviderEditorProps {
  provider: ProviderDraft
  /** Whether main holds a key for it. */
  hasKey: boolean
  /** The providers main has saved: only their stored keys can stand in for a key not typed. */
  savedIds: readonly string[]
  /** `settings` in the panel, `welcome` on the welcome screen. */
  testIdPrefix: string
  onChange: (change: Partial<ProviderDraft>) => void
  /** What Test found, so the models it listed can be chosen. */
  onTested?: (result: ProviderTest) => void
  /** More buttons beside Test (Remove in Settings, Connect on the welcome screen). */
  children?: ReactNode
}

/**
 * One provider's name, base URL and key, and Test, which checks what is typed here, not what is saved. The one
 * provider form: Settings and the welcome screen both use it.
 */
export function ProviderEditor(props: ProviderEditorProps): JSX.Element {
  const { provider, testIdPrefix: p } = props
  const { api } = useParley()
  const ids = useId()
  const [probe, setProbe] = useState<Probe>()
  const preset = provider.presetId ? presetById(provider.presetId) : undefined

  const test = async (): Promise<void> => {
    const checked = providerTarget(provider, props.savedIds)
    if ('error' in checked) return setProbe({ tone: 'error', text: checked.error })
    setProbe({ tone: 'ok', text: 'Testing…' })
    try {
      const result = await api.testProvider(checked.target)
      setProbe({ tone: result.ok ? 'ok' : 'error', text: result.message })
      props.onTested?.(result)
    } catch (error) {
      setProbe({ tone: 'error', text: errorText(error, 'Parley could not test the provider.') })
    }
  }

  const edit = (change: Partial<ProviderDraft>): void => {
    setProbe(undefined)
    props.onChange(change)
  }

  return (
    <div className="provider-editor" data-testid={`${p}-provider-editor`} data-provider-id={provider.id}>
      {preset?.hint ? (
        <p className="field-hint" data-testid={`${p}-provider-hint`}>
          <TextWithCode text={preset.hint} />
        </p>
      ) : null}
      <label htmlFor={`${ids}-name`}>Name</label>
      <input
        id={`${ids}-name`}
        data-testid={`${p}-provider-name`}
        type="text"
        autoComplete="off"
        value={provider.name}
        onChange={(event) => edit({ name: event.target.value })}
      />
      <label htmlFor={`${ids}-url`}>Base URL{provider.kind === 'anthropic' ? ' (Anthropic API)' : ''}</label>
      <input
        id={`${ids}-url`}
        data-testid={`${p}-base-url`}
        type="text"
        inputMode="url"
        spellCheck={false}
        autoComplete="off"
        value={provider.baseUrl}
        placeholder={provider.kind === 'anthropic' ? 'https://api.anthropic.com' : 'http://127.0.0.1:11434/v1'}
        onChange={(event) => edit({ baseUrl: event.target.value })}
      />
      <KeyField
        id={`${ids}-key`}
        testIdPrefix={p}
        hasKey={props.hasKey}
        value={provider.apiKey}
        clearKey={provider.clearKey}
        need={preset?.key}
        onChange={edit}
      />
      <div className="field-row actions">
        <button type="button" className="button small" data-testid={`${p}-test`} onClick={() => void test()}>
          Test
        </button>
        {props.children}
      </div>
      {probe ? (
        <p className={`form-feedback ${probe.tone}`} data-testid={`${p}-probe`} role="status">
          {probe.text}
        </p>
      ) : null}
    </div>
  )
}
