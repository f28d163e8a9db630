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

/** The bytes of one file on their way to main (`putAttachment`), base64 so the call stays JSON on both transports. */
export const attachmentUploadSchema = z
  .object({
    name: z.string().min(1).max(255),
    mimeType: z.string().max(255),
    dataBase64: z.string().max(Math.ceil((attachmentLimits.fileBytes * 4) / 3) + 4)
  })
  .strict()
export type AttachmentUpload = z.infer<typeof attachmentUploadSchema>

/** One attachment's bytes read back from main (`readAttachment`): to show an image whole, or to export a chat. */
export const attachmentDataSchema = z.object({ ref: attachmentRefSchema, dataBase64: z.string() }).strict()
export type AttachmentData = z.infer<typeof attachmentDataSchema>

/** Whether a model reads images: what its provider reports or the settings say; `unknown` when nothing says. */
export const visionSupportSchema = z.enum(['yes', 'no', 'unknown'])
export type VisionSupport = z.infer<typeof visionSupportSchema>
