import type { ProviderTrouble } from '../../../shared'
import type { ActivitySnapshot } from './session-activity'

/**
 * Why prompts wait, as the window tells it: `loading` when every provider known to be down says it is loading its
 * model (rule C6), `unreachable` otherwise (C3), including when no provider is known down (right after a reload).
 */
export function waitReason(snapshot: ActivitySnapshot): ProviderTrouble {
  const down = [...snapshot.providers.values()].filter((provider) => provider.reachable === false)
  return down.length > 0 && down.every((provider) => provider.state === 'loading') ? 'loading' : 'unreachable'
}
