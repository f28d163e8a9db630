// Run as a child process by settings-store.test.ts: changes the settings, and is killed (SIGKILL, as in a crash or a
// power cut) after the new file is written and fsynced but before it is renamed over the old one.
import { writeFileAtomic } from '../json-file'

const [path, content] = process.argv.slice(2)
if (!path || content === undefined) throw new Error('usage: crash-before-rename <path> <content>')
writeFileAtomic(path, content, { beforeRename: () => process.kill(process.pid, 'SIGKILL') })
console.log('not reached: the process was killed before the rename')
