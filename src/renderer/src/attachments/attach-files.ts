import { attachmentLimits, type ParleyApi } from '../../../shared'
import { errorText } from '../notices/error-text'
import { checkAttachable } from './attachable'
import type { AttachmentChip, ChipAction } from './chip-list'
import type { FilePreparer } from './prepared-file'

export interface AttachDeps {
  api: Pick<ParleyApi, 'putAttachment'>
  prepare: FilePreparer
  /** Keeps an image's thumbnail under the attachment's id (Dexie), so the chat shows it without asking main. */
  keepThumbnail: (id: string, dataUrl: string) => Promise<void>
  newKey?: () => string
}

/** A name main accepts (1-255 characters): a pasted image may come with none. */
function nameOf(file: File, mimeType: string): string {
  const name = file.name.trim()
  if (name) return name.length > 255 ? name.slice(name.length - 255) : name
  return mimeType.startsWith('image/') ? `pasted image.${mimeType.slice('image/'.length)}` : 'pasted file.txt'
}

/**
 * Attaches files to the composer: each is checked in the window first (type and limits: a refused file becomes a
 * refused chip, and nothing is read or uploaded), then read, hashed and thumbnailed in the worker, then stored by main
 * (`putAttachment`, which checks again and decides the kind). The chip then holds main's ref: if main's id differs
 * from the window's hash, main's is the one kept. Files past the 16th are left out; the answer says so.
 */
export function attachFiles(
  deps: AttachDeps,
  files: readonly File[],
  onPrompt: number,
  dispatch: (action: ChipAction) => void
): { leftOut: string | null } {
  const newKey = deps.newKey ?? (() => crypto.randomUUID())
  const room = Math.max(0, attachmentLimits.perPrompt - onPrompt)
  const taken = files.slice(0, room)
  const added: AttachmentChip[] = []
  const work: { key: string; file: File; kind: 'image' | 'text' | 'pdf'; mimeType: string; name: string }[] = []
  for (const file of taken) {
    const key = newKey()
    const check = checkAttachable(file, onPrompt + added.length)
    const name = nameOf(file, check.ok ? check.mimeType : file.type)
    if (!check.ok) {
      added.push({ key, name, size: file.size, kind: null, thumbnail: null, state: { phase: 'refused', error: check.message } })
      continue
    }
    added.push({ key, name, size: file.size, kind: check.kind, thumbnail: null, state: { phase: 'reading', fraction: 0 } })
    work.push({ key, file, kind: check.kind, mimeType: check.mimeType, name })
  }
  if (added.length > 0) dispatch({ type: 'added', chips: added })
  for (const item of work) void attachOne(deps, item, dispatch)
  const over = files.length - taken.length
  return {
    leftOut:
      over > 0
        ? `A prompt holds at most ${attachmentLimits.perPrompt} attachments: ${over === 1 ? '1 file was' : `${over} files were`} left out.`
        : null
  }
}

async function attachOne(
  deps: AttachDeps,
  item: { key: string; file: File; kind: 'image' | 'text' | 'pdf'; mimeType: string; name: string },
  dispatch: (action: ChipAction) => void
): Promise<void> {
  const { key } = item
  try {
    const upload = { name: item.name, mimeType: item.mimeType }
    const prepared = await deps.prepare(item.file, { isImage: item.kind === 'image', upload }, (fraction) =>
      dispatch({ type: 'progress', key, fraction })
    )
    dispatch({ type: 'uploading', key, thumbnail: prepared.thumbnail })
    // Browser mode: the worker already sent the bytes to main. The desktop: the window sends them over IPC.
    const stored = prepared.type === 'stored' ? prepared.stored : await deps.api.putAttachment({ ...upload, dataBase64: prepared.dataBase64 })
    const { ref } = stored
    // Main named the bytes (ref.id); the window's hash (prepared.sha256) only ever agrees with it, and main's wins.
    if (prepared.thumbnail) await deps.keepThumbnail(ref.id, prepared.thumbnail).catch(() => undefined)
    dispatch({ type: 'attached', key, ref, ...(stored.warning === undefined ? {} : { warning: stored.warning }) })
  } catch (error) {
    dispatch({ type: 'refused', key, error: errorText(error, `${item.name} could not be attached.`) })
  }
}
