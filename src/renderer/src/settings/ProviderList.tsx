import type { JSX } from 'react'
import type { ProviderTest, SettingsView } from '../../../shared'
import { LocalServerFinder } from './LocalServerFinder'
import { PresetPicker } from './PresetPicker'
import { ProviderEditor } from './ProviderEditor'
import { addProvider, addProviderAt, editProvider, keyIsSet, providerLabel, providerSubject, removeProvider, type SettingsDraft } from './settings-form'

export interface ProviderListProps {
  view: SettingsView
  draft: SettingsDraft
  /** The provider being edited. */
  selectedId: string | undefined
  onSelect: (providerId: string) => void
  onDraft: (draft: SettingsDraft) => void
  onTested: (providerId: string, result: ProviderTest) => void
  /** A refusal to say (removing the provider a model uses). */
  onRefused: (text: string) => void
}

/** Every configured provider side by side: pick one to edit it, add one from a preset, remove one no model uses. */
/** Where a provider is, in a few characters: `127.0.0.1:11434`, `api.openai.com`. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  } catch {
    return 'no address yet'
  }
}

export function ProviderList(props: ProviderListProps): JSX.Element {
  const { view, draft } = props
  const savedIds = view.providers.map((provider) => provider.id)
  const selected = draft.providers.find((provider) => provider.id === props.selectedId) ?? draft.providers[0]

  const remove = (providerId: string): void => {
    const result = removeProvider(draft, providerId)
    if ('error' in result) return props.onRefused(result.error)
    props.onDraft(result.draft)
    const next = result.draft.providers[0]
    if (next) props.onSelect(next.id)
  }

  return (
    <fieldset className="settings-group">
      <legend>Providers</legend>
      <ul className="provider-list" data-testid="settings-provider-list">
        {draft.providers.map((provider) => (
          <li key={provider.id}>
            <button
              type="button"
              className={`provider-item${provider.id === selected?.id ? ' selected' : ''}`}
              data-testid="settings-provider-item"
              data-provider-id={provider.id}
              aria-pressed={provider.id === selected?.id}
              onClick={() => props.onSelect(provider.id)}
            >
              <span className="provider-name">{providerSubject(provider)}</span>
              <span className="provider-detail">
                {hostOf(provider.baseUrl)}
                {draft.large.providerId === provider.id ? ' · answers' : ''}
                {keyIsSet(view, provider.id) ? ' · key set' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {selected ? (
        <ProviderEditor
          key={selected.id}
          provider={selected}
          hasKey={keyIsSet(view, selected.id)}
          savedIds={savedIds}
          testIdPrefix="settings"
          onChange={(change) => props.onDraft(editProvider(draft, selected.id, change))}
          onTested={(result) => props.onTested(selected.id, result)}
        >
          <button type="button" className="button small" data-testid="settings-remove-provider" onClick={() => remove(selected.id)}>
            Remove {providerLabel(selected)}
          </button>
        </ProviderEditor>
      ) : null}
      <PresetPicker
        testIdPrefix="settings"
        label="Add a provider"
        action="Add"
        onPick={(preset) => {
          const added = addProvider(draft, preset)
          props.onDraft(added.draft)
          props.onSelect(added.providerId)
        }}
      />
      <LocalServerFinder
        providers={draft.providers}
        onAdd={(server) => {
          const added = addProviderAt(draft, server.preset, server.baseUrl)
          props.onDraft(added.draft)
          props.onSelect(added.providerId)
        }}
      />
    </fieldset>
  )
}
