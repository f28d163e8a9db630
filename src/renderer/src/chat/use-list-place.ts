import { useMemo, useRef } from 'react'
import type { MessageRow } from '../db/schema'
import type { BranchItem } from './branch'
import { nextFirstIndex, openingPlace, type OpeningPlace } from './message-window'

/** Virtuoso counts prepended items down from here (its firstItemIndex must stay positive). */
const firstIndexBase = 1_000_000

/**
 * Virtuoso's `firstItemIndex`: down as items appear above the first one, up as the window drops its oldest (see
 * `nextFirstIndex`). Kept per list: a list opened at a message starts from the base again. `opening` counts the times
 * the items were replaced wholly (a chat opened while its history was still being copied in: its first rows, then
 * its last 400): the list then opens anew, at its end or the message opened at, as Virtuoso keeps no place across it.
 */
export function useFirstIndex(items: readonly BranchItem<MessageRow>[]): { firstIndex: number; opening: number } {
  const ids = useMemo(() => items.map((item) => item.message.id), [items])
  const state = useRef({ ids: [] as readonly string[], firstIndex: firstIndexBase, opening: 0 })
  if (state.current.ids !== ids) {
    const previous = state.current
    const { firstIndex, replaced } = nextFirstIndex(previous, ids, firstIndexBase)
    state.current = { ids, firstIndex, opening: previous.opening + (replaced ? 1 : 0) }
  }
  return state.current
}

/**
 * Where the list opens, fixed when it first has rows (not when the view mounted: a chat opened before its messages
 * had been copied into IndexedDB got its rows a moment later, and then opened at its top) and again when its rows
 * were replaced wholly (`opening`). `key` keys the list.
 */
export function useOpeningPlace(count: number, targetAt: number, opening: number): { key: string; place: OpeningPlace } {
  const key = count > 0 ? `rows:${opening}` : 'empty'
  const state = useRef<{ key: string; place: OpeningPlace } | undefined>(undefined)
  if (state.current?.key !== key) {
    state.current = { key, place: openingPlace(targetAt) }
  }
  return state.current
}

