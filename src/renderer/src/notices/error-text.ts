/**
 * A sentence for the person using the app, from whatever was thrown: an Error, or a `{ code, message }` error
 * payload as it crosses the bridge.
 */
export function errorText(error: unknown, fallback = 'Something went wrong.'): string {
  if (typeof error === 'string') return error.trim() || fallback
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error
    if (typeof message === 'string' && message.trim()) return message.trim()
  }
  return fallback
}
