import { useEffect, useState } from 'react'

/** Whole seconds left until `deadline` (ms), as a countdown reads: never below 0, and 0.2 s left still says 1 s. */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000))
}

/**
 * The time, redrawn every `intervalMs` while `ticking`: for the countdowns of a retry. It stops when nothing counts
 * down, so an idle window has no timer.
 */
export function useNow(ticking: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [ticking, intervalMs])
  return now
}
