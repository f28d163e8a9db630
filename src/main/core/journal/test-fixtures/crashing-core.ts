// Run as a child process by crash-recovery.test.ts: a headless core that accepts three prompts in one session and
// streams the first answer, until the test kills it (SIGKILL) in the middle of that answer.
import { settingsSchema } from '../../../../shared'
import { createParleyCore } from '../../parley-core'
import { MemorySecretStore } from '../../settings/secret-store'

const [dataDir, providerUrl] = process.argv.slice(2)
if (!dataDir || !providerUrl) throw new Error('usage: crashing-core <dataDir> <providerUrl>')

const core = await createParleyCore({
  dataDir,
  secrets: new MemorySecretStore(),
  initialSettings: settingsSchema.parse({
    providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: providerUrl }],
    models: { large: { providerId: 'scripted', model: 'large' } }
  })
})
const session = core.agent.createSession({ title: 'crash test' })
for (const [runId, prompt] of [['r1', 'long'], ['r2', 'second'], ['r3', 'third']] as const) {
  core.agent.enqueue({ sessionId: session.id, runId, prompt })
}
// Tell the test which session, then keep streaming until killed.
console.log(JSON.stringify({ sessionId: session.id }))
