import { z } from 'zod'

/**
 * Attachments (issue 14): images, text and code files, and PDFs. Their bytes live once in main's data folder, named by
 * their SHA-256; a message or a queued prompt holds only an `AttachmentRef`.
 */
export const attachmentLimits = {
  /** Per image, in bytes. */
  imageBytes: 20 * 1024 * 1024,
  /** Per text file or PDF, in bytes. */
  fileBytes: 50 * 1024 * 1024,
  /** Attachments on one prompt. */
  perPrompt: 16
} as const

export const attachmentKinds = ['image', 'text', 'pdf'] as const
export const attachmentKindSchema = z.enum(attachmentKinds)
export type AttachmentKind = z.infer<typeof attachmentKindSchema>

/** What Parley says of a file it no longer has (AttachmentMissing): main refusing a call, the window's kept draft. */
export function missingAttachmentText(name: string): string {
  return `${name} is no longer in Parley's data folder: attach the file again.`
}

/** Lower-case hex SHA-256 of the bytes: the attachment's id and its file name in main's data folder. */
export const attachmentIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'An attachment id is a SHA-256 in hex.')

/** What a message, a queued prompt and the window keep of an attachment: never its bytes. */
export const attachmentRefSchema = z
  .object({
    id: attachmentIdSchema,
    name: z.string().min(1).max(255),
    mimeType: z.string().min(1).max(255),
    size: z.number().int().nonnegative(),
    kind: attachmentKindSchema
  })
  .strict()
export type AttachmentRef = z.infer<typeof attachmentRefSchema>

/**
 * What main answers for a file it stored (`putAttachment`, `finishAttachment`): the ref a prompt sends, and what the
 * person should know before sending it (a PDF with no text: a model that gets PDFs as text sees nothing of it).
 */
export const storedAttachmentSchema = z.object({ ref: attachmentRefSchema, warning: z.string().optional() }).strict()
export type StoredAttachment = z.infer<typeof storedAttachmentSchema>

/** The bytes of one file on their way to main (`putAttachment`), base64 so the call stays JSON on both transports. */
export const attachmentUploadSchema = z
  .object({
    name: z.string().min(1).max(255),
    mimeType: z.string().max(255),
    dataBase64: z.string().max(Math.ceil((attachmentLimits.fileBytes * 4) / 3) + 4)
  })
  .strict()
export type AttachmentUpload = z.infer<typeof attachmentUploadSchema>

/**
 * A large file goes to main in parts (`beginAttachment`, `appendAttachment`, `finishAttachment`), so no call's frame
 * holds more than half a megabyte: main parses each between other work instead of one 67 MB frame at once. A part is
 * this many bytes (a multiple of 3, so every part's base64 stands alone), the last one fewer.
 */
export const uploadPartBytes = 3 * 128 * 1024
/** A part's base64: 512 KB of characters. */
export const uploadPartChars = (uploadPartBytes / 3) * 4

/** The file a parted upload announces: its name, type and exact size (refused at once when over the 50 MB limit). */
export const attachmentUploadStartSchema = z
  .object({
    name: z.string().min(1).max(255),
    mimeType: z.string().max(255),
    size: z.number().int().nonnegative().max(attachmentLimits.fileBytes)
  })
  .strict()
export type AttachmentUploadStart = z.infer<typeof attachmentUploadStartSchema>

/** Names one parted upload while it is open. */
export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'An upload id is 8 to 64 letters, digits, _ or -.')
/** One part: standard base64 (padded, no line breaks), at most `uploadPartChars` characters. */
export const uploadPartSchema = z
  .string()
  .max(uploadPartChars)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'A part is standard base64 with its padding.')

/** One attachment's bytes read back from main (`readAttachment`): to show an image whole, or to export a chat. */
export const attachmentDataSchema = z.object({ ref: attachmentRefSchema, dataBase64: z.string() }).strict()
export type AttachmentData = z.infer<typeof attachmentDataSchema>

/** One part of a file main holds (`readAttachmentPart`): `uploadPartBytes` from `offset`, fewer at the end. */
export const attachmentPartSchema = z
  .object({ ref: attachmentRefSchema, offset: z.number().int().nonnegative(), dataBase64: z.string().max(uploadPartChars) })
  .strict()
export type AttachmentPart = z.infer<typeof attachmentPartSchema>

/** Whether a model reads images: what its provider reports or the settings say; `unknown` when nothing says. */
export const visionSupportSchema = z.enum(['yes', 'no', 'unknown'])
export type VisionSupport = z.infer<typeof visionSupportSchema>
