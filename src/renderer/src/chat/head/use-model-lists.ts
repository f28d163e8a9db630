import { useCallback, useEffect, useState } from 'react'
import type { SettingsView } from '../../../../shared'
import { useParley, useSettingsChanges } from '../../parley-context'

export interface ModelLists {
  /** undefined until main has answered. */
  settings: SettingsView | undefined
  /** The models each configured provider lists, by provider id; one that can't be reached lists none. */
  models: Readonly<Record<string, readonly string[]>>
  /** Asks again: a server may have come up, or taken a new model. */
  refresh: () => void
}

/**
 * The configured providers and the models each offers, for the chat's model picker. Read again whenever the settings
 * are saved, in this window or another, so the header's "Default" names the model that answers now.
 */
export function useModelLists(): ModelLists {
  const { api } = useParley()
  const [settings, setSettings] = useState<SettingsView>()
  const [models, setModels] = useState<Record<string, readonly string[]>>({})
  const [asked, setAsked] = useState(0)
  const saved = useSettingsChanges()

  useEffect(() => {
    let live = true
    void api.getSettings().then(
      async (view) => {
        if (!live) return
        setSettings(view)
        const lists = await Promise.all(
          view.providers.map((provider) =>
            api.listModels(provider.id).then(
              (ids) => [provider.id, ids] as const,
              () => [provider.id, []] as const
            )
          )
        )
        if (live) setModels(Object.fromEntries(lists))
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [api, asked, saved])

  const refresh = useCallback(() => setAsked((n) => n + 1), [])
  return { settings, models, refresh }
}
