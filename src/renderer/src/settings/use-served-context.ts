import { useEffect, useState } from 'react'
import { useParley } from '../parley-context'
import type { ModelChoice } from './settings-form'

/** What the answering model's server says it runs it with (B2), once it said it. */
export interface ServedRoom {
  model: string
  size: number
}

/**
 * B2: asks the saved provider's server the context it runs the answering model with (llama.cpp, Ollama, vLLM, LM
 * Studio say it), a moment after the choice settles; undefined while unknown or when the server says nothing.
 */
export function useServedContext(choice: ModelChoice, savedIds: readonly string[]): ServedRoom | undefined {
  const { api } = useParley()
  const [served, setServed] = useState<ServedRoom & { providerId: string }>()
  const saved = savedIds.includes(choice.providerId)
  const { providerId, model } = choice
  useEffect(() => {
    if (!saved || !model.trim()) return
    let current = true
    const timer = setTimeout(() => {
      api.servedContext(providerId, model).then(
        (size) => current && setServed(size === null ? undefined : { providerId, model, size }),
        () => current && setServed(undefined)
      )
    }, 300)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [api, saved, providerId, model])
  return served && saved && served.providerId === providerId && served.model === model ? served : undefined
}
