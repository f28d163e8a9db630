// Run as several child processes at once by data-lock.test.ts: each waits for the same instant, then tries to take the
// folder's lock (a stale one is there), says `won` or `refused`, and holds what it won for a while.
import { acquireDataLock, DataFolderInUseError } from '../data-lock'

const [dataDir, at] = process.argv.slice(2)
if (!dataDir || !at) throw new Error('usage: racing-lock <dataDir> <epochMs>')

while (Date.now() < Number(at)) {
  // Spin rather than sleep: the racers should start within a fraction of a millisecond of each other.
}
try {
  const lock = acquireDataLock(dataDir, 'headless')
  console.log('won')
  setTimeout(() => lock.release(), 1500)
} catch (error) {
  if (!(error instanceof DataFolderInUseError)) throw error
  console.log('refused')
}
