import type { ParleyApi, ProviderTarget, ProviderTest, SettingsView } from '../../../shared'
import { providerPresets, sameAddress, type ProviderPreset } from '../settings/provider-presets'
import { addProvider, draftFromSettings, editProvider, saveDraft, type SettingsDraft } from '../settings/settings-form'
import { pickModel } from './first-answer'

/** A local model server that answered, with the models it offers. */
export interface FoundServer {
  preset: ProviderPreset
  baseUrl: string
  models: string[]
}

/** Where to look: a preset and the address it answers at. */
export interface Candidate {
  preset: ProviderPreset
  baseUrl: string
}

/**
 * The local servers worth looking for when the one that answers doesn't (a newcomer with LM Studio or llama.cpp
 * running, not Ollama): every local preset at its usual address, but the address already checked. `addresses` (a
 * test's, by preset id) replaces the usual ones, and then only those are looked at.
 */
export function localCandidates(checked: string | undefined, addresses?: Readonly<Record<string, string>>): Candidate[] {
  const all = providerPresets.filter((preset) => preset.local && preset.baseUrl !== '')
  const candidates = addresses
    ? all.flatMap((preset) => {
        const baseUrl = addresses[preset.id]
        return baseUrl === undefined ? [] : [{ preset, baseUrl }]
      })
    : all.map((preset) => ({ preset, baseUrl: preset.baseUrl }))
  return candidates.filter((candidate) => checked === undefined || !sameAddress(candidate.baseUrl, checked))
}

/**
 * Asks every candidate at once for its models (main makes the requests: the window may reach no server itself), and
 * tells `found` of each that answers with at least one, as it answers. One that is down, answers with an error, or
 * offers no model is left out. Resolves once all have answered.
 */
export async function findLocalServers(
  candidates: readonly Candidate[],
  test: (target: ProviderTarget) => Promise<ProviderTest>,
  found: (server: FoundServer) => void
): Promise<void> {
  await Promise.all(
    candidates.map(async ({ preset, baseUrl }) => {
      try {
        const result = await test({ kind: preset.kind, baseUrl })
        if (result.ok && result.models.length > 0) found({ preset, baseUrl, models: result.models })
      } catch {
        // Not there, or not a model server: nothing to offer.
      }
    })
  )
}

/**
 * The settings as a draft with a provider from `preset`: the one already made from it (edited, not added twice), or a
 * new one; at `baseUrl` when given, else where it is (or the preset's usual address).
 */
export function draftWithPreset(view: SettingsView, preset: ProviderPreset, baseUrl?: string): { draft: SettingsDraft; providerId: string } {
  const base = draftFromSettings(view)
  const existing = base.providers.find((provider) => provider.presetId === preset.id)
  const added = existing ? { draft: base, providerId: existing.id } : addProvider(base, preset)
  return { draft: baseUrl === undefined ? added.draft : editProvider(added.draft, added.providerId, { baseUrl }), providerId: added.providerId }
}

/**
 * Saves `draft` with provider `providerId` answering, with the model `pickModel` chooses from what it offers (the one
 * the draft had, when it offers that). What "I have another server" and a server found on this computer both do.
 */
export async function answerWith(
  api: Pick<ParleyApi, 'updateSettings'>,
  view: SettingsView,
  chosen: { draft: SettingsDraft; providerId: string; name: string },
  models: readonly string[]
): Promise<{ view: SettingsView } | { error: string }> {
  const { draft, providerId } = chosen
  const pick = pickModel(draft.large.providerId === providerId ? draft.large.model : '', models)
  if (!pick) return { error: `${chosen.name} answers but lists no models: load or pull one there, then try again.` }
  return saveDraft(api, view, { ...draft, large: { providerId, model: pick.model } })
}
