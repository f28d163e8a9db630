import { useId, useState, type JSX } from 'react'
import { presetById, providerPresets, type ProviderPreset } from './provider-presets'

/** Picks one of the model servers people have (Ollama, LM Studio, OpenAI, Anthropic…), to add it as a provider. */
export function PresetPicker(props: { testIdPrefix: string; label: string; action: string; onPick: (preset: ProviderPreset) => void }): JSX.Element {
  const id = useId()
  const [presetId, setPresetId] = useState(providerPresets[0]?.id ?? '')
  const pick = (): void => {
    const preset = presetById(presetId)
    if (preset) props.onPick(preset)
  }
  return (
    <div className="preset-picker">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        <select id={id} data-testid={`${props.testIdPrefix}-preset`} value={presetId} onChange={(event) => setPresetId(event.target.value)}>
          {providerPresets.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.name}
            </option>
          ))}
        </select>
        <button type="button" className="button small" data-testid={`${props.testIdPrefix}-add-provider`} onClick={pick}>
          {props.action}
        </button>
      </div>
    </div>
  )
}
