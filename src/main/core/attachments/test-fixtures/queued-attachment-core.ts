// Run as a child process by queued-attachment-crash.test.ts: a core whose first prompt is held by the server, and
// whose second prompt (with an image, sent as inline bytes) waits in the queue, durably, until the test kills it.
import { tinyPng } from './tiny-pdf'
import { coreOnServer, uploadOf } from './core-on-server'

const [dataDir, serverUrl] = process.argv.slice(2)
if (!dataDir || !serverUrl) throw new Error('usage: queued-attachment-core <dataDir> <serverUrl>')

const core = await coreOnServer(serverUrl, { dataDir })
const session = await core.service.createSession({ title: 'queued image' })
await core.service.enqueue({ sessionId: session.id, runId: 'r1', prompt: 'hold' })
const queued = await core.service.enqueue({
  sessionId: session.id,
  runId: 'r2',
  prompt: 'with image',
  attachments: [uploadOf('dot.png', tinyPng, 'image/png')]
})
// enqueue answered: the prompt and its image are durable. Tell the test, then wait to be killed.
console.log(JSON.stringify({ sessionId: session.id, state: queued.state }))
