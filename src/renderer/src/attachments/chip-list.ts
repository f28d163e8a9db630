import type { AttachmentKind, AttachmentRef } from '../../../shared'

/** Where one attachment on the composer is: read and hashed in the worker, sent to main, held as a ref, or refused. */
export type ChipState =
  | { phase: 'reading'; fraction: number }
  | { phase: 'uploading' }
  /** `warning`: it is sent, but the model may not get what the person expects (a PDF with no text). */
  | { phase: 'attached'; ref: AttachmentRef; warning?: string }
  | { phase: 'refused'; error: string }

export interface AttachmentChip {
  /** The window's own key for the chip (two chips may hold the same file). */
  key: string
  name: string
  size: number
  /** null: a file refused before its kind was known. */
  kind: AttachmentKind | null
  /** A data URL of the image at ~256 px, once the worker made it; null for other files. */
  thumbnail: string | null
  state: ChipState
}

export type ChipAction =
  | { type: 'added'; chips: readonly AttachmentChip[] }
  | { type: 'progress'; key: string; fraction: number }
  | { type: 'uploading'; key: string; thumbnail: string | null }
  | { type: 'attached'; key: string; ref: AttachmentRef; warning?: string }
  | { type: 'refused'; key: string; error: string }
  | { type: 'removed'; key: string }
  | { type: 'cleared' }
  /** A send was refused: its chips come back, ahead of any attached since. */
  | { type: 'restored'; chips: readonly AttachmentChip[] }

function update(chips: readonly AttachmentChip[], key: string, change: (chip: AttachmentChip) => AttachmentChip): AttachmentChip[] {
  // A chip removed while its file was still on its way: what the worker or main answers later changes nothing.
  return chips.map((chip) => (chip.key === key ? change(chip) : chip))
}

/** The composer's attachments, in the order they were attached. */
export function chipList(chips: readonly AttachmentChip[], action: ChipAction): readonly AttachmentChip[] {
  switch (action.type) {
    case 'added':
      return [...chips, ...action.chips]
    case 'progress':
      return update(chips, action.key, (chip) => (chip.state.phase === 'reading' ? { ...chip, state: { phase: 'reading', fraction: action.fraction } } : chip))
    case 'uploading':
      return update(chips, action.key, (chip) => ({ ...chip, thumbnail: action.thumbnail ?? chip.thumbnail, state: { phase: 'uploading' } }))
    case 'attached':
      return update(chips, action.key, (chip) => ({
        ...chip,
        name: action.ref.name,
        size: action.ref.size,
        kind: action.ref.kind,
        state: { phase: 'attached', ref: action.ref, ...(action.warning === undefined ? {} : { warning: action.warning }) }
      }))
    case 'refused':
      return update(chips, action.key, (chip) => ({ ...chip, state: { phase: 'refused', error: action.error } }))
    case 'removed':
      return chips.filter((chip) => chip.key !== action.key)
    case 'cleared':
      return []
    case 'restored': {
      const back = action.chips.filter((chip) => !chips.some((kept) => kept.key === chip.key))
      return [...back, ...chips]
    }
  }
}

/** Chips from refs a message already holds (editing a prompt keeps its attachments, each removable). */
export function chipsOfRefs(refs: readonly AttachmentRef[], thumbnailOf: (id: string) => string | null = () => null): AttachmentChip[] {
  return refs.map((ref, index) => ({
    key: `ref-${index}-${ref.id}`,
    name: ref.name,
    size: ref.size,
    kind: ref.kind,
    thumbnail: thumbnailOf(ref.id),
    state: { phase: 'attached', ref }
  }))
}

/** The refs to send, in order. */
export function attachedRefs(chips: readonly AttachmentChip[]): AttachmentRef[] {
  return chips.flatMap((chip) => (chip.state.phase === 'attached' ? [chip.state.ref] : []))
}

/** Why the prompt can't be sent yet, or null: a chip still on its way, or one refused (remove it to send the rest). */
export function sendBlocker(chips: readonly AttachmentChip[]): string | null {
  const refused = chips.find((chip) => chip.state.phase === 'refused')
  if (refused) return `Remove ${refused.name} first: it can't be sent.`
  const busy = chips.find((chip) => chip.state.phase === 'reading' || chip.state.phase === 'uploading')
  if (busy) return `Wait until ${busy.name} is attached.`
  return null
}
