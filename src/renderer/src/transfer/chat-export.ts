import Dexie from 'dexie'
import { archiveFormat, archivedChat, archiveVersion, chatAsMarkdown, type ArchivedChat, type ParleyApi, type Session } from '../../../shared'
import type { MessageRow, ParleyDatabase, SessionRow } from '../db/schema'
import { ArchiveFiles } from './archive-files'

/** How many messages one read takes: each page is a short IndexedDB read, and the window gets a turn between pages. */
export const exportPageSize = 500

/** Lets the window paint and take input between two pages (a setTimeout, so the browser runs its tasks first). */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * All of a chat's messages, every branch, read from Dexie a page at a time on its `[sessionId+createdAt]` index.
 * Each page starts at the last createdAt read; messages of that same millisecond already read are left out, so
 * messages sharing a createdAt are neither lost nor read twice.
 */
export async function chatMessages(db: ParleyDatabase, sessionId: string, pageSize = exportPageSize): Promise<MessageRow[]> {
  const rows: MessageRow[] = []
  let from: number | undefined
  let readAtFrom = new Set<string>()
  for (;;) {
    const page = await db.messages
      .where('[sessionId+createdAt]')
      .between([sessionId, from ?? Dexie.minKey], [sessionId, Dexie.maxKey], true, true)
      .limit(pageSize + readAtFrom.size)
      .toArray()
    const fresh = page.filter((row) => !(row.createdAt === from && readAtFrom.has(row.id)))
    if (fresh.length === 0) return rows
    rows.push(...fresh)
    const last = fresh.at(-1)!.createdAt
    if (last !== from) readAtFrom = new Set()
    for (const row of fresh) if (row.createdAt === last) readAtFrom.add(row.id)
    from = last
    await nextTask()
  }
}

function sessionOf(row: SessionRow): Session {
  return {
    id: row.id,
    title: row.title,
    ...(row.titleSource ? { titleSource: row.titleSource } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  }
}

/** A chat as the archive keeps it, read from Dexie (the UI reads only Dexie); undefined when there is no such chat. */
export async function exportChat(db: ParleyDatabase, sessionId: string): Promise<ArchivedChat | undefined> {
  const row = await db.sessions.get(sessionId)
  if (!row) return undefined
  // The order main created them in: createdSeq (createdAt alone can tie).
  const messages = (await chatMessages(db, sessionId)).sort((a, b) => a.createdSeq - b.createdSeq)
  return archivedChat(sessionOf(row), row.leafId ?? null, messages)
}

/**
 * The archive's JSON as Blob parts: the envelope, then one chat at a time, then the files they use (version 2), one at
 * a time, so no one string holds everything.
 */
function archiveParts(chats: readonly string[], exportedAt: number, files: readonly string[]): string[] {
  // An export without files stays version 1, which every Parley reads; version 2 only when it carries files.
  const version = files.length > 0 ? archiveVersion : 1
  const head = `{"format":${JSON.stringify(archiveFormat)},"version":${version},"exportedAt":${exportedAt},"chats":[`
  const parts = [head]
  chats.forEach((chat, index) => parts.push(index === 0 ? chat : `,${chat}`))
  if (files.length > 0) {
    parts.push('],"attachments":[')
    files.forEach((file, index) => parts.push(index === 0 ? file : `,${file}`))
  }
  parts.push(']}')
  return parts
}

export interface ExportProgress {
  done: number
  total: number
}

/**
 * Every chat (except those in `leaving`, deleted and waiting out their Undo) as one archive, oldest chat first: each
 * chat read in pages and written out as soon as it is read, with a turn for the window in between.
 */
export async function exportAllChats(
  db: ParleyDatabase,
  api: Pick<ParleyApi, 'readAttachmentPart'>,
  options: { leaving?: ReadonlySet<string>; now?: number; onProgress?: (progress: ExportProgress) => void } = {}
): Promise<Blob> {
  const ids = (await db.sessions.orderBy('updatedAt').primaryKeys()).filter((id) => !options.leaving?.has(id))
  const chats: string[] = []
  const files = new ArchiveFiles(api)
  for (const id of ids) {
    const chat = await exportChat(db, id)
    if (chat) chats.push(JSON.stringify(await files.take(chat)))
    options.onProgress?.({ done: chats.length, total: ids.length })
  }
  return new Blob(archiveParts(chats, options.now ?? Date.now(), files.entries()), { type: 'application/json' })
}

/** One chat as an archive of its own, with its files (the same format: it imports as any export does). */
export async function chatArchiveBlob(chat: ArchivedChat, api: Pick<ParleyApi, 'readAttachmentPart'>, now = Date.now()): Promise<Blob> {
  const files = new ArchiveFiles(api)
  const kept = await files.take(chat)
  return new Blob(archiveParts([JSON.stringify(kept)], now, files.entries()), { type: 'application/json' })
}

/** One chat as Markdown: the branch shown. */
export function chatMarkdownBlob(chat: ArchivedChat): Blob {
  return new Blob([chatAsMarkdown(chat)], { type: 'text/markdown' })
}

/** A file name from a chat's title: letters, digits and dashes, at most 60 characters. */
export function fileNameFor(title: string | null, extension: string): string {
  const stem = (title ?? '')
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase()
  return `${stem || 'chat'}.${extension}`
}

/** The whole export's name: `parley-chats-2026-12-02.json`. */
export function allChatsFileName(now: Date): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
  return `parley-chats-${day}.json`
}

/** Saves a Blob as a file through the browser's download (browser mode and Electron alike). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // After the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
