import { useCallback, useEffect, useRef, useState } from 'react'
import type { SettingsView } from '../../../shared'
import { errorText } from '../notices/error-text'
import { useParley } from '../parley-context'
import { answeringModelPatch, answeringProvider, welcomeState, type WelcomeState } from './first-answer'

/** How often the welcome checks again while the server loads its model (rule C6). */
export const loadingRecheckMs = 3000

export interface WelcomeCheck {
  /** The settings as last read or saved; undefined until the first check read them. */
  view: SettingsView | undefined
  setView: (view: SettingsView) => void
  /** What the check found, or that it is checking. */
  state: WelcomeState
  /** Checks again; `mayPick`: a configured model the server doesn't offer gives way to its first. */
  check: (mayPick: boolean) => Promise<void>
}

/**
 * The welcome's check of the provider that answers: at once, again each time Settings closes (then the model chosen
 * there is kept, listed or not), and now and then while the server loads its model (C6). A check overtaken by another,
 * or by the welcome going, says nothing.
 */
export function useWelcomeCheck(settingsOpen: boolean): WelcomeCheck {
  const { api } = useParley()
  const [view, setView] = useState<SettingsView>()
  const [state, setState] = useState<WelcomeState>({ step: 'checking', provider: undefined })
  const generation = useRef(0)

  /** Until the person has been in Settings, a configured model the server doesn't offer gives way to its first. */
  const autoPick = useRef(true)

  /**
   * `mayPick`: a configured model the server doesn't offer gives way to its first. `quiet`: the finding stays as it is
   * until the answer (the check again while the model loads, which must not take "Say hello" away each time).
   */
  const check = useCallback(async (mayPick: boolean, quiet = false): Promise<void> => {
    const mine = ++generation.current
    const current = (): boolean => mine === generation.current
    if (!quiet) setState((before) => ({ step: 'checking', provider: before.provider }))
    try {
      let settings = await api.getSettings()
      if (!current()) return
      setView(settings)
      const provider = answeringProvider(settings)
      if (!quiet) setState({ step: 'checking', provider })
      const found = welcomeState(settings, provider ? await api.testProvider(provider.id) : { ok: false, message: '', models: [] }, mayPick)
      if (!current()) return
      if (found.step === 'ready' && found.picked) {
        // The configured model isn't offered: the server's first one answers from now on.
        settings = await api.updateSettings(answeringModelPatch(settings, found.provider.id, found.model))
      }
      if (!current()) return
      setView(settings)
      setState(found)
    } catch (error) {
      if (current()) setState({ step: 'failed', provider: undefined, ollama: false, message: errorText(error, 'Parley could not check its model server.') })
    }
  }, [api])

  // At once, and again each time Settings closes: then the model chosen there is kept, listed or not.
  useEffect(() => {
    if (settingsOpen) {
      autoPick.current = false
      return
    }
    void check(autoPick.current)
    return () => {
      generation.current++
    }
  }, [check, settingsOpen])

  // C6: while the server loads its model, check again now and then, so "is loading" turns into "is ready" by itself.
  const loading = state.step === 'ready' && state.loading !== undefined
  useEffect(() => {
    if (!loading || settingsOpen) return
    const again = setTimeout(() => void check(autoPick.current, true), loadingRecheckMs)
    return () => clearTimeout(again)
  }, [loading, state, check, settingsOpen])

  return { view, setView, state, check }
}
