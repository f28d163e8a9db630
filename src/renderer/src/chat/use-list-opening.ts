import { useRef, type RefObject } from 'react'
import type { MessageRow } from '../db/schema'
import type { BranchItem } from './branch'
import type { OpeningPlace } from './message-window'
import { estimatedRowHeight } from './row-height'
import { drawableEndFirst, firstRows, lastDrawnIndex, useEndFirst, type EndFirstPhase } from './use-end-first'
import { useOpeningPlace } from './use-list-place'
import { useListShown } from './use-list-shown'

/** What Virtuoso is given for the list to open where it should: its rows now, their numbering, its opening place. */
export interface OpeningListProps {
  data: readonly BranchItem<MessageRow>[]
  firstItemIndex: number
  initialTopMostItemIndex: OpeningPlace | undefined
  alignToBottom: boolean
  /** Each row's height as guessed from its text, for Virtuoso's own opening (read until it has measured a row). */
  heightEstimates: number[] | undefined
}

/**
 * The rows' guessed heights (`estimatedRowHeight`) for an opening the usual way, made once per opening `key`: Virtuoso
 * reads them only while it has measured nothing, to place its first rows and to know how many to draw.
 */
function useHeightEstimates(key: string, rows: readonly BranchItem<MessageRow>[] | undefined): number[] | undefined {
  const made = useRef<{ key: string; estimates: number[] | undefined }>(undefined)
  if (made.current?.key !== key) made.current = { key, estimates: rows?.map((item) => estimatedRowHeight(item.message)) }
  return made.current.estimates
}

/**
 * How the chat list opens: where (its end, or the message opened at: `useOpeningPlace`) and how (end first, or
 * Virtuoso's own opening: `useEndFirst`), with the frame's marks (`useListShown`). `key` keys the list: a new key is a
 * new opening.
 */
export function useListOpening(props: {
  frame: RefObject<HTMLElement | null>
  branch: readonly BranchItem<MessageRow>[]
  /** Virtuoso's number for the first row of `branch` (`useFirstIndex`). */
  firstIndex: number
  /** The times the rows were replaced wholly (`useFirstIndex`). */
  opening: number
  /** The row opened at (its index in `branch`), -1 for the end. */
  targetAt: number
  /** Told the list is at its bottom once an end-first opening has put it there. */
  atBottom: (atBottom: boolean) => void
}): { key: string; place: OpeningPlace; phase: EndFirstPhase; list: OpeningListProps } {
  const { frame, branch, firstIndex, opening, targetAt, atBottom } = props
  const initialTop = useOpeningPlace(branch.length, targetAt, opening)
  const atEnd = initialTop.place.index === 'LAST'
  const last = branch.at(-1)?.message
  const eligible = atEnd && branch.length > firstRows && last !== undefined && drawableEndFirst(last)
  const phase = useEndFirst(frame, initialTop.key, eligible, branch.length, atBottom)
  const lastIndex = lastDrawnIndex(phase, branch.length)
  const settled = phase === 'off' || phase === 'settled'
  useListShown(frame, initialTop.key, atEnd ? { kind: 'end', lastIndex, settled, placedByEndFirst: phase === 'last' } : { kind: 'message' })
  const heightEstimates = useHeightEstimates(initialTop.key, phase === 'off' ? branch : undefined)
  return {
    key: initialTop.key,
    place: initialTop.place,
    phase,
    list: {
      data: phase === 'last' ? branch.slice(-firstRows) : branch,
      firstItemIndex: firstIndex + branch.length - 1 - lastIndex,
      initialTopMostItemIndex: phase === 'off' ? initialTop.place : undefined,
      alignToBottom: phase !== 'off',
      heightEstimates
    }
  }
}
