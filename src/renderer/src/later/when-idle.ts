/** Settles once the window has nothing else to do, or after `timeoutMs` at the latest (soon, without requestIdleCallback). */
export function whenIdle(timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs })
    else setTimeout(resolve, 200)
  })
}

/** Settles once `ms` have passed and then the window is idle (`whenIdle`). */
export async function whenIdleAfter(ms: number, timeoutMs = 2000): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
  await whenIdle(timeoutMs)
}
