import { useEffect, useRef, useState } from 'react'
import { carriesFiles, filesOf } from './dropped-files'

/**
 * Files dragged anywhere onto the window attach to the composer: while a drag carrying files is over the window the
 * drop zone shows (`dragging`); a drop attaches them; leaving, or a drag of text, changes nothing.
 */
export function useFileDrop(onFiles: (files: File[]) => void, enabled = true): boolean {
  const [dragging, setDragging] = useState(false)
  const latest = useRef(onFiles)
  latest.current = onFiles
  useEffect(() => {
    if (!enabled) return undefined
    // dragenter and dragleave fire for every element crossed: a count says whether the drag is still inside.
    let depth = 0
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event.dataTransfer)) return
      event.preventDefault()
      depth += 1
      setDragging(true)
    }
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event.dataTransfer)) return
      // Without this the browser opens the file in place of the app.
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event.dataTransfer)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onDrop = (event: DragEvent): void => {
      depth = 0
      setDragging(false)
      const files = filesOf(event.dataTransfer)
      if (files.length === 0) return
      event.preventDefault()
      latest.current(files)
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragover', onOver)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('drop', onDrop)
    }
  }, [enabled])
  return dragging
}
