import { ParleyError, readAttachmentInParts, type ArchivedChat, type ParleyApi } from '../../../shared'

/**
 * The files an export's chats use (archive version 2), read from main in parts (`readAttachmentPart`) once each, as the
 * archive's `attachments` entries. A file main no longer holds is left out, and so are the refs to it: the archive
 * stays one that imports.
 */
export class ArchiveFiles {
  private readonly written = new Map<string, string>()
  private readonly missing = new Set<string>()

  constructor(private readonly api: Pick<ParleyApi, 'readAttachmentPart'>) {}

  /** Reads the chat's files not read yet, and answers the chat with refs only to files the archive holds. */
  async take(chat: ArchivedChat): Promise<ArchivedChat> {
    let dropped = false
    for (const message of chat.messages) {
      for (const ref of message.attachments ?? []) {
        if (this.written.has(ref.id) || this.missing.has(ref.id)) continue
        try {
          const data = await readAttachmentInParts(this.api, ref.id)
          this.written.set(ref.id, JSON.stringify({ id: ref.id, name: data.ref.name, mimeType: data.ref.mimeType, dataBase64: data.dataBase64 }))
        } catch (error) {
          if (!(error instanceof ParleyError && error.code === 'AttachmentMissing')) throw error
          this.missing.add(ref.id)
        }
        if (this.missing.has(ref.id)) dropped = true
      }
    }
    if (!dropped) return chat
    return {
      ...chat,
      messages: chat.messages.map((message) => {
        if (!message.attachments) return message
        const kept = message.attachments.filter((ref) => !this.missing.has(ref.id))
        const { attachments: _left, ...rest } = message
        return kept.length > 0 ? { ...rest, attachments: kept } : rest
      })
    }
  }

  /** Each file as its JSON, in the order first used. */
  entries(): string[] {
    return [...this.written.values()]
  }

  /** How many files main no longer held (left out). */
  get left(): number {
    return this.missing.size
  }
}
