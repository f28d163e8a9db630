import type { ParleyApi } from '../../../shared'

/**
 * Rule C3: when the OS says the network is back, main probes unreachable providers at once instead of waiting out
 * its backoff (up to 30 s). A failed call only means the bridge is down too; main's own backoff still runs.
 */
export function probeWhenOnline(window: EventTarget, api: Pick<ParleyApi, 'probeNow'>): () => void {
  const onOnline = (): void => {
    api.probeNow().catch(() => undefined)
  }
  window.addEventListener('online', onOnline)
  return () => window.removeEventListener('online', onOnline)
}
