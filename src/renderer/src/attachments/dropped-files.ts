/** The parts of a DataTransfer (a drop, a paste) the window reads. */
export interface TransferLike {
  readonly types: readonly string[]
  readonly files: ArrayLike<File>
  readonly items?: ArrayLike<{ kind: string; getAsFile: () => File | null }>
}

/** Whether a drag carries files (not text or a link dragged from the page), so the drop zone shows. */
export function carriesFiles(transfer: Pick<TransferLike, 'types'> | null): boolean {
  return transfer !== null && Array.from(transfer.types).includes('Files')
}

/**
 * The files a drop or a paste brings: its files, else its file items (a screenshot pasted from the clipboard is an
 * item in some browsers, with an empty `files`). A plain text paste brings none, and is left to the text box.
 */
export function filesOf(transfer: TransferLike | null): File[] {
  if (!transfer) return []
  const files = Array.from(transfer.files)
  if (files.length > 0) return files
  return Array.from(transfer.items ?? []).flatMap((item) => {
    if (item.kind !== 'file') return []
    const file = item.getAsFile()
    return file ? [file] : []
  })
}
