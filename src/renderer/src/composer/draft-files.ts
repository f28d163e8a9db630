import { z } from 'zod'
import { attachmentLimits, attachmentRefSchema } from '../../../shared'
import type { AttachmentChip } from '../attachments/chip-list'
import { writeBeforeScreen } from '../chat/first-screen'
import { draftFilesKey, type DraftStorage } from './drafts'

/**
 * The files attached to a chat's unsent prompt, kept beside its text (drafts.ts) so that a reload or a restart finds
 * them again: each one's ref (main keeps the bytes, attachment-store.ts), its thumbnail and main's warning. Only
 * attached files: one still being read or sent is gone with the page that read it, and a refused one was never stored.
 */
const keptFilesSchema = z.object({
  v: z.literal(1),
  files: z
    .array(z.object({ ref: attachmentRefSchema, thumbnail: z.string().startsWith('data:image/').nullable(), warning: z.string().optional() }))
    .max(attachmentLimits.perPrompt)
})
type KeptFiles = z.infer<typeof keptFilesSchema>

/** A thumbnail larger than this (a data URL, ~256 px WebP: usually 5–30 KB) is not kept: the chip shows its icon. */
export const keptThumbnailChars = 64 * 1024

const keptKeyPrefix = 'kept-'

/** Whether a chip came back from what was kept (its file is checked with main once: it may have been swept). */
export function isKeptChip(chip: AttachmentChip): boolean {
  return chip.key.startsWith(keptKeyPrefix)
}

/**
 * The chips kept for a chat, attached, their keys made anew; none when there are none or what is kept can't be read
 * (damaged, from another version): the text of the draft is kept apart and still comes back.
 */
export function readDraftFiles(storage: DraftStorage | undefined, chat: string | undefined): AttachmentChip[] {
  let kept: KeptFiles
  try {
    const text = storage?.getItem(draftFilesKey(chat))
    if (!text) return []
    const parsed = keptFilesSchema.safeParse(JSON.parse(text))
    if (!parsed.success) return []
    kept = parsed.data
  } catch {
    return []
  }
  return kept.files.map(({ ref, thumbnail, warning }, index) => ({
    key: `${keptKeyPrefix}${String(index)}-${ref.id}`,
    name: ref.name,
    size: ref.size,
    kind: ref.kind,
    thumbnail,
    state: { phase: 'attached', ref, ...(warning === undefined ? {} : { warning }) }
  }))
}

/**
 * Keeps a chat's attached files (none: removed), before the screen kept for the next start. Storage full: kept without
 * thumbnails, else not at all; a refusal is
 * not an error the person must see (the files are still on the composer, only not kept past a restart).
 */
export function keepDraftFiles(storage: DraftStorage | undefined, chat: string | undefined, chips: readonly AttachmentChip[]): boolean {
  const files = chips.flatMap((chip) =>
    chip.state.phase === 'attached'
      ? [
          {
            ref: chip.state.ref,
            thumbnail: chip.thumbnail !== null && chip.thumbnail.length <= keptThumbnailChars ? chip.thumbnail : null,
            ...(chip.state.warning === undefined ? {} : { warning: chip.state.warning })
          }
        ]
      : []
  )
  try {
    if (!storage) return false
    if (files.length === 0) {
      storage.removeItem(draftFilesKey(chat))
      return true
    }
    const kept: KeptFiles = { v: 1, files }
    try {
      writeBeforeScreen(storage, draftFilesKey(chat), JSON.stringify(kept))
    } catch {
      writeBeforeScreen(storage, draftFilesKey(chat), JSON.stringify({ v: 1, files: files.map((file) => ({ ...file, thumbnail: null })) }))
    }
    return true
  } catch {
    return false
  }
}
