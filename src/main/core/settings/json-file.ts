import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Writes a file atomically: a temp file beside it, fsynced, then renamed over it. A crash leaves either the old file
 * or the new one, never half of one.
 */
export function writeFileAtomic(path: string, content: string, hooks: { beforeRename?: () => void } = {}): void {
  mkdirSync(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  const fd = openSync(temp, 'w', 0o600)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  hooks.beforeRename?.()
  renameSync(temp, path)
}

/** Reads a file, or undefined when it doesn't exist. */
export function readFileIfPresent(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  return readFileSync(path, 'utf8')
}
