import { readFile, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { attachmentLimits, type FileToUpload } from '../../shared'
import { UsageError } from '../launch-settings'

/** Types by extension, for the few kinds main tells apart by type; main sniffs the bytes anyway. */
const typesByExtension: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html'
}

/** The type `parley run --attach` names a file with: from its extension, else none (main decides from its bytes). */
export function mimeTypeOf(path: string): string {
  return typesByExtension[extname(path).toLowerCase()] ?? ''
}

/**
 * `parley run --attach FILE`: each file read whole, for main to store and check (`uploadInParts`). A file
 * that can't be read, or is over 50 MB, is a usage error before anything is sent.
 */
export async function readAttachFiles(paths: readonly string[]): Promise<FileToUpload[]> {
  if (paths.length > attachmentLimits.perPrompt) {
    throw new UsageError(`A prompt takes at most ${attachmentLimits.perPrompt} attachments, not ${paths.length}.`)
  }
  const uploads: FileToUpload[] = []
  for (const path of paths) {
    let size: number
    try {
      size = (await stat(path)).size
    } catch {
      throw new UsageError(`--attach: can't read ${path}.`)
    }
    if (size > attachmentLimits.fileBytes) {
      throw new UsageError(`--attach: ${path} is ${(size / 1024 / 1024).toFixed(1)} MB; a file may be at most 50 MB (an image 20 MB).`)
    }
    const bytes = await readFile(path)
    uploads.push({ name: basename(path).slice(0, 255) || 'file', mimeType: mimeTypeOf(path), bytes })
  }
  return uploads
}
