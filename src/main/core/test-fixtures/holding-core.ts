// Run as a child process by data-lock.test.ts: a core on a data folder, held until the test kills it. It says `ready`
// once the core (and so the folder's lock) is up.
import { createParleyCore } from '../parley-core'
import { MemorySecretStore } from '../settings/secret-store'

const [dataDir] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: holding-core <dataDir>')

await createParleyCore({ dataDir, mode: 'browser', secrets: new MemorySecretStore() })
// Nothing else keeps the event loop alive: stay up until killed.
setInterval(() => undefined, 60_000)
console.log('ready')
