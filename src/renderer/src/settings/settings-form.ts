import { settingsPatchSchema, type DesktopSettings, type SettingsPatch, type SettingsView } from '../../../shared'

/** What the settings panel edits: the provider and model that answer, the system prompt, the tray and notifications. */
export interface SettingsForm {
  providerId: string
  baseUrl: string
  model: string
  systemPrompt: string
  /** A new key typed in the panel; empty leaves the stored key as it is. Never stored in the renderer. */
  apiKey: string
  /** Forget the stored key. */
  clearKey: boolean
  closeToTray: boolean
  notify: boolean
  /** Kept as it was while notifications are off, so turning them back on restores it. */
  notifyOnlyInBackground: boolean
}

/** The provider the answering ("large") model uses; the panel edits that one. */
export function answeringProvider(view: SettingsView): SettingsView['providers'][number] | undefined {
  return view.providers.find((provider) => provider.id === view.models.large.providerId) ?? view.providers[0]
}

export function formFromSettings(view: SettingsView): SettingsForm {
  const provider = answeringProvider(view)
  return {
    providerId: provider?.id ?? view.models.large.providerId,
    baseUrl: provider?.baseUrl ?? '',
    model: view.models.large.model,
    systemPrompt: view.systemPrompt,
    apiKey: '',
    clearKey: false,
    closeToTray: view.desktop.closeToTray,
    notify: view.desktop.notifications.enabled,
    notifyOnlyInBackground: view.desktop.notifications.onlyInBackground
  }
}

function desktopFromForm(form: SettingsForm): DesktopSettings {
  return {
    closeToTray: form.closeToTray,
    notifications: { enabled: form.notify, onlyInBackground: form.notifyOnlyInBackground }
  }
}

/** Whether main holds a key for the provider (main says only that, never the key). */
export function keyIsSet(view: SettingsView, providerId: string): boolean {
  return view.apiKeys[providerId] === true
}

const fieldNames: Record<string, string> = {
  providers: 'Base URL',
  baseUrl: 'Base URL',
  model: 'Model',
  models: 'Model',
  systemPrompt: 'System prompt',
  apiKey: 'API key',
  key: 'API key'
}

/**
 * The patch `updateSettings` takes, checked with the same schema main checks it with, so most mistakes are named
 * here before the round trip; main's own refusal is shown the same way.
 */
export function patchFromForm(view: SettingsView, form: SettingsForm): { patch: SettingsPatch } | { error: string } {
  const patch: SettingsPatch = {
    providers: view.providers.map((provider) =>
      provider.id === form.providerId ? { ...provider, baseUrl: form.baseUrl.trim() } : provider
    ),
    models: { ...view.models, large: { ...view.models.large, providerId: form.providerId, model: form.model.trim() } },
    systemPrompt: form.systemPrompt,
    desktop: desktopFromForm(form)
  }
  const key = form.apiKey.trim()
  if (key) patch.apiKey = { providerId: form.providerId, key }
  else if (form.clearKey) patch.apiKey = { providerId: form.providerId, key: null }

  const checked = settingsPatchSchema.safeParse(patch)
  if (checked.success) return { patch: checked.data }
  const messages = checked.error.issues.map((issue) => {
    const field = [...issue.path].reverse().find((part) => typeof part === 'string' && part in fieldNames)
    const name = typeof field === 'string' ? fieldNames[field] : undefined
    return name ? `${name}: ${issue.message}` : issue.message
  })
  return { error: [...new Set(messages)].join(' ') }
}
