import { whenIdleAfter } from '../later/when-idle'

/**
 * How long after the window starts the indexing of what a reload left begins (new answers are indexed as they come,
 * whatever this says). Begun at the first idle moment, a window reloaded while it indexed opened its database
 * 150–250 ms late: the closed window's read-write transaction had to end first (50,000 chats: first rows at 400–500 ms
 * instead of ~220, in 4 of 5 loads back to back).
 */
export const indexingStartMs = 2000

/**
 * When a window's first indexing pass begins (`begun`): `indexingStartMs` after it starts and then at an idle moment,
 * or as soon as search is asked for (`now`), whichever comes first. A search opened in those 2 s found nothing in what
 * the reload had left unindexed, and said nothing about it when that was under 2,000 messages.
 */
export function indexingStart(
  waitFirst: () => Promise<void> = () => whenIdleAfter(indexingStartMs)
): { begun: Promise<void>; now: () => void } {
  let now: () => void = () => undefined
  const asked = new Promise<void>((resolve) => (now = resolve))
  return { begun: Promise.race([waitFirst(), asked]), now }
}
