import { z } from 'zod'
import { attachmentIdSchema, attachmentRefSchema, attachmentUploadSchema, type AttachmentRef } from './attachment'
import { limits } from './call'
import { finishReasonSchema, messageText, partSchema, roleSchema, timingsSchema, usageSchema, type Message } from './message'
import { titleSourceSchema, type Session } from './session'

/**
 * The export file's format name and version (docs/export-format.md). A reader refuses versions it doesn't know, and
 * reads every version Parley wrote: 1 (no attachments) and 2 (attachments, issue 14).
 */
export const archiveFormat = 'parley.chats'
export const archiveVersion = 2
export const archiveVersions = [1, 2] as const

/** An id as Parley's calls take it (a chat id must be usable in a prompt's call afterwards). */
const archivedIdSchema = z.string().min(1).max(limits.idLength)

/** One message of an exported chat: its place in the tree (its parent) and what it said. */
export const archivedMessageSchema = z
  .object({
    id: archivedIdSchema,
    parentId: archivedIdSchema.nullable(),
    role: roleSchema,
    parts: z.array(partSchema).max(1000),
    createdAt: z.number().int().nonnegative(),
    finishReason: finishReasonSchema.optional(),
    error: z.string().optional(),
    providerId: z.string().optional(),
    model: z.string().optional(),
    usage: usageSchema.optional(),
    timings: timingsSchema.optional(),
    /** Version 2: a user message's attachments, as refs; their bytes are in the archive's `attachments`. */
    attachments: z.array(attachmentRefSchema).max(limits.attachments).optional()
  })
  .strict()
export type ArchivedMessage = z.infer<typeof archivedMessageSchema>

/** Version 2: one file the archive's messages use, once, with its bytes (base64) under its SHA-256 id. */
export const archivedFileSchema = attachmentUploadSchema.extend({ id: attachmentIdSchema }).strict()
export type ArchivedFile = z.infer<typeof archivedFileSchema>

/** One chat: its title, its messages (every branch, parents before children) and the leaf of the branch shown. */
export const archivedChatSchema = z
  .object({
    id: archivedIdSchema,
    title: z.string().max(500).nullable(),
    titleSource: titleSourceSchema.optional(),
    createdAt: z.number().int().nonnegative(),
    updatedAt: z.number().int().nonnegative(),
    leafId: archivedIdSchema.nullable(),
    messages: z.array(archivedMessageSchema).max(200_000)
  })
  .strict()
  .superRefine((chat, context) => {
    const seen = new Set<string>()
    chat.messages.forEach((message, index) => {
      if (seen.has(message.id)) context.addIssue({ code: 'custom', path: ['messages', index, 'id'], message: `message id ${message.id} appears twice` })
      if (message.parentId !== null && !seen.has(message.parentId)) {
        context.addIssue({
          code: 'custom',
          path: ['messages', index, 'parentId'],
          message: `parent ${message.parentId} is not an earlier message of this chat`
        })
      }
      seen.add(message.id)
    })
    if (chat.leafId !== null && !seen.has(chat.leafId)) {
      context.addIssue({ code: 'custom', path: ['leafId'], message: `leaf ${chat.leafId} is not a message of this chat` })
    }
  })
export type ArchivedChat = z.infer<typeof archivedChatSchema>

export const chatArchiveSchema = z
  .object({
    format: z.literal(archiveFormat),
    version: z.union([z.literal(1), z.literal(2)]),
    exportedAt: z.number().int().nonnegative(),
    chats: z.array(archivedChatSchema).max(100_000),
    /** Version 2: the files the messages use, each once. */
    attachments: z.array(archivedFileSchema).max(10_000).optional()
  })
  .strict()
  .superRefine((archive, context) => {
    const files = new Set<string>()
    archive.attachments?.forEach((file, index) => {
      if (archive.version < 2) context.addIssue({ code: 'custom', path: ['attachments'], message: 'version 1 has no attachments' })
      if (files.has(file.id)) context.addIssue({ code: 'custom', path: ['attachments', index, 'id'], message: `file ${file.id} appears twice` })
      files.add(file.id)
    })
    archive.chats.forEach((chat, index) => {
      chat.messages.forEach((message, position) => {
        message.attachments?.forEach((ref, at) => {
          if (files.has(ref.id)) return
          context.addIssue({
            code: 'custom',
            path: ['chats', index, 'messages', position, 'attachments', at, 'id'],
            message: `${ref.name} (${ref.id.slice(0, 12)}…) is not among the file's attachments`
          })
        })
      })
    })
    const seen = new Set<string>()
    // A message id names one message in all of Parley, so two chats of one file can't share one.
    const messageChat = new Map<string, number>()
    archive.chats.forEach((chat, index) => {
      if (seen.has(chat.id)) context.addIssue({ code: 'custom', path: ['chats', index, 'id'], message: `chat id ${chat.id} appears twice` })
      seen.add(chat.id)
      chat.messages.forEach((message, position) => {
        const other = messageChat.get(message.id)
        if (other !== undefined && other !== index) {
          context.addIssue({
            code: 'custom',
            path: ['chats', index, 'messages', position, 'id'],
            message: `message id ${message.id} is also in chats[${other}]`
          })
        }
        messageChat.set(message.id, index)
      })
    })
  })
export type ChatArchive = z.infer<typeof chatArchiveSchema>

/** Where a problem is, as people read it: `chats[2].messages[5].role`. */
export function problemPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`
  return text || '(the file)'
}

export type ArchiveReading = { ok: true; archive: ChatArchive } | { ok: false; problems: string[] }

/**
 * A Parley export of a version this Parley doesn't read, said in words (the schema would say only "version: Invalid
 * input"); null for any other file.
 */
function unreadVersion(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('format' in value) || value.format !== archiveFormat || !('version' in value)) return null
  const { version } = value
  if ((archiveVersions as readonly unknown[]).includes(version)) return null
  const reads = `this one reads version ${archiveVersions.join(' and ')}`
  if (typeof version === 'number' && version > archiveVersion) return `This file was exported by a newer Parley (format version ${version}); ${reads}.`
  return `version: ${JSON.stringify(version) ?? String(version)} is not a version of Parley's export format; ${reads}.`
}

/** Reads an export file's parsed JSON: the archive, or every problem (up to 20) with where it is. */
export function readArchive(value: unknown): ArchiveReading {
  const version = unreadVersion(value)
  if (version !== null) return { ok: false, problems: [version] }
  const parsed = chatArchiveSchema.safeParse(value)
  if (parsed.success) return { ok: true, archive: parsed.data }
  const problems = parsed.error.issues.slice(0, 20).map((issue) => `${problemPath(issue.path)}: ${issue.message}`)
  return { ok: false, problems }
}

/**
 * A chat as the archive keeps it, from a session and its messages in the order main created them (streaming ones are
 * left out). A message without `parentId` (from before the tree) follows the message created before it, as the chat
 * view reads it; one whose parent the chat no longer has becomes a root.
 */
export function archivedChat(session: Session, leafId: string | null, messages: readonly Message[]): ArchivedChat {
  const finished = messages.filter((message) => message.status === 'finished')
  const ids = new Set(finished.map((message) => message.id))
  const parents = new Map<string, string | null>()
  const children = new Map<string | null, Message[]>()
  finished.forEach((message, at) => {
    const named = message.parentId === undefined ? (finished[at - 1]?.id ?? null) : message.parentId
    const parent = named !== null && named !== message.id && ids.has(named) ? named : null
    parents.set(message.id, parent)
    const siblings = children.get(parent)
    if (siblings) siblings.push(message)
    else children.set(parent, [message])
  })
  // Parents before children, in created order among siblings: a walk down from the roots.
  const kept = new Set<string>()
  const archived: ArchivedMessage[] = []
  const stack = [...(children.get(null) ?? [])].reverse()
  for (let message = stack.pop(); message; message = stack.pop()) {
    if (kept.has(message.id)) continue
    kept.add(message.id)
    archived.push(toArchived(message, parents.get(message.id) ?? null))
    stack.push(...[...(children.get(message.id) ?? [])].reverse())
  }
  return {
    id: session.id,
    title: session.title,
    ...(session.titleSource ? { titleSource: session.titleSource } : {}),
    createdAt: Math.max(0, Math.round(session.createdAt)),
    updatedAt: Math.max(0, Math.round(session.updatedAt)),
    leafId: leafId !== null && kept.has(leafId) ? leafId : ([...finished].reverse().find((message) => kept.has(message.id))?.id ?? null),
    messages: archived
  }
}

function toArchived(message: Message, parentId: string | null): ArchivedMessage {
  return {
    id: message.id,
    parentId,
    role: message.role,
    parts: message.parts,
    createdAt: Math.max(0, Math.round(message.createdAt)),
    ...(message.finishReason ? { finishReason: message.finishReason } : {}),
    ...(message.error ? { error: message.error } : {}),
    ...(message.providerId ? { providerId: message.providerId } : {}),
    ...(message.model ? { model: message.model } : {}),
    ...(message.usage ? { usage: message.usage } : {}),
    ...(message.timings ? { timings: message.timings } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments } : {})
  }
}

/** The files an archive's chats use, each once (an exporter reads their bytes with `readAttachment`). */
export function archivedAttachmentRefs(chats: readonly ArchivedChat[]): AttachmentRef[] {
  const byId = new Map<string, AttachmentRef>()
  for (const chat of chats) for (const message of chat.messages) for (const ref of message.attachments ?? []) byId.set(ref.id, ref)
  return [...byId.values()]
}

/** The branch shown, oldest first: from the leaf up by parents. */
export function archivedBranch(chat: ArchivedChat): ArchivedMessage[] {
  const byId = new Map(chat.messages.map((message) => [message.id, message]))
  const branch: ArchivedMessage[] = []
  for (let message = chat.leafId ? byId.get(chat.leafId) : undefined; message; message = message.parentId ? byId.get(message.parentId) : undefined) {
    branch.push(message)
  }
  return branch.reverse()
}

/** A chat as Markdown: its title, then the branch shown, each message under its speaker, with its files named. */
export function chatAsMarkdown(chat: ArchivedChat): string {
  const lines = [`# ${chat.title ?? 'Untitled chat'}`, '']
  for (const message of archivedBranch(chat)) {
    const who = message.role === 'user' ? 'You' : `Assistant${message.model ? ` (${message.model})` : ''}`
    const text = messageText(message).trim()
    const files = message.attachments ?? []
    lines.push(`## ${who}`, '')
    if (text || files.length === 0) lines.push(text || (message.error ? `_${message.error}_` : '_(no text)_'), '')
    if (files.length > 0) lines.push(`Attached: ${files.map((file) => file.name).join(', ')}`, '')
  }
  return lines.join('\n')
}

/** What importing an archive did: chats added, chats already here (by id) and left as they are, messages added. */
export const importResultSchema = z.object({
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative()
})
export type ImportResult = z.infer<typeof importResultSchema>

/**
 * What a window sends back to main when main's message store was damaged and replaced by an empty one
 * (`HistoryState.logRestoreWanted`): its own copy of the chats, as the archive has them, without file bytes (main still
 * has the files; a message's refs point at them). At most about 1 MB of JSON a call, as an import's batches.
 */
export const windowCopySchema = z.object({ chats: z.array(archivedChatSchema).max(100_000) }).strict()
export type WindowCopy = z.infer<typeof windowCopySchema>

/** The first line of an `ArchiveInvalid` refusal; each problem follows on a line of its own, as `- path: what`. */
export const archiveRefusalLead = 'This file can’t be imported, and nothing of it was:'

export function archiveRefusal(problems: readonly string[]): string {
  return [archiveRefusalLead, ...problems.map((problem) => `- ${problem}`)].join('\n')
}

/** The problems an `ArchiveInvalid` refusal names, one per line after its first. */
export function refusalProblems(message: string): string[] {
  return message
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^- /, ''))
    .filter((line) => line !== '')
}
