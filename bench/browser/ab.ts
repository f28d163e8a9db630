import { resolve } from 'node:path'
import { median } from '../report'
import { compareOpenings, type Compared } from './browser-bench'

// Whether a change makes opening the long chat faster: two builds' loads taken in turn. Not part of the bench:
//   cp -r out /tmp/before; (change, build); node --import tsx bench/browser/ab.ts /tmp/before out
// A build's folder is what `electron-vite build` writes to out/ (main/web.js and renderer/), copied anywhere under this
// checkout (web.js finds its packages in node_modules up the tree). PARLEY_AB_ROUNDS loads each (8),
// PARLEY_AB_MESSAGES the chat's length (10,000); PARLEY_AB_CHATS=5000 compares that many chats' first sidebar rows instead.
const [first, second] = process.argv.slice(2)
if (first === undefined || second === undefined) throw new Error('Usage: ab.ts <build folder A> <build folder B>')
const rounds = Number(process.env['PARLEY_AB_ROUNDS'] ?? '8')
const chats = Number(process.env['PARLEY_AB_CHATS'] ?? '0')
const compared: Compared = chats > 0 ? { kind: 'many-chats', chats } : { kind: 'long-chat', messages: Number(process.env['PARLEY_AB_MESSAGES'] ?? '10000') }
const entries = [resolve(first, 'main/web.js'), resolve(second, 'main/web.js')] as const
const [a = [], b = []] = await compareOpenings(entries, rounds, compared, (line) => console.log(line))
const list = (values: readonly number[]): string => values.map((value) => value.toFixed(0)).join(', ')
console.log(`A ${first}: median ${median(a).toFixed(0)} ms (${list(a)})`)
console.log(`B ${second}: median ${median(b).toFixed(0)} ms (${list(b)})`)
