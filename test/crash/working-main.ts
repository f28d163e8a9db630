// Run as a child process by kill-anytime.test.ts: a real main on a data folder (journal and session log on disk)
// answered by a real HTTP model server, doing what its plan says (make chats, accept prompts, stop some) while a client
// of it prints, a line each, everything it heard, until the test kills it (SIGKILL) at a random moment.
//   stdout lines: {"t":"ready"} once started (recovery done), {"t":"session",title,id}, {"t":"accepted",runId} when
//   enqueue answered, {"t":"refused",runId,error}, {"t":"event",seq,type,complete?} for each event heard.
import { createServer } from 'node:http'
import { attachWsHost } from '../../src/main/host/ws-host'
import { createParleyCore } from '../../src/main/core/parley-core'
import { MemorySecretStore } from '../../src/main/core/settings/secret-store'
import { crashSettings, heardLine } from './crash-model'
import { lifetimePlanSchema } from './lifetime-plan'

const [dataDir, providerUrl, planText] = process.argv.slice(2)
if (!dataDir || !providerUrl || !planText) throw new Error('usage: working-main <dataDir> <providerUrl> <plan json>')
const plan = lifetimePlanSchema.parse(JSON.parse(planText))

const say = (line: Record<string, unknown>): void => {
  // A pipe's writes are synchronous on Linux: a line printed is a line the test reads, whenever the kill comes.
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

const core = await createParleyCore({
  dataDir,
  ...(plan.compactBytes === undefined ? {} : { journal: { compactBytes: plan.compactBytes } }),
  secrets: new MemorySecretStore(),
  initialSettings: crashSettings(providerUrl),
  // A8: 0 (no hold) unless a run asks for one: PARLEY_RECOVERY_HOLD_MS=400 lands kills inside recovery holds too.
  recoveryHoldMs: Number(process.env['PARLEY_RECOVERY_HOLD_MS'] ?? 0)
})
// With `host`, a window reaches this main over browser mode's bridge, always on the same port, as after a restart.
if (plan.host) {
  const server = createServer()
  attachWsHost({ server, service: core.service, token: plan.host.token })
  const port = plan.host.port
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
}
say({ t: 'ready' })
// A client as the window is: it hears everything after what it heard before the crash, and acknowledges it. (Not when
// a real window is attached: its acknowledgements are the ones main keeps events for.)
if (!plan.host) {
  core.service.subscribe(plan.since, (event) => {
    say(heardLine(event))
    void core.service.ack(event.seq)
  })
}

const sessions = new Map(Object.entries(plan.sessions))
for (const step of plan.steps) {
  if (step.kind === 'wait') {
    await new Promise((resolve) => setTimeout(resolve, step.ms))
  } else if (step.kind === 'create') {
    const session = await core.service.createSession({ title: step.title })
    sessions.set(step.title, session.id)
    say({ t: 'session', title: step.title, id: session.id })
  } else if (step.kind === 'cancel') {
    void core.service.cancelRun(step.runId)
  } else {
    const sessionId = sessions.get(step.title)
    if (sessionId === undefined) continue
    // Not awaited: prompts are sent as a window sends them, each answered when it is durably accepted.
    core.service.enqueue({ sessionId, runId: step.runId, prompt: step.prompt }).then(
      () => say({ t: 'accepted', runId: step.runId }),
      (error: unknown) => say({ t: 'refused', runId: step.runId, error: String(error) })
    )
  }
}
// Main stays up, as the app does, until the test kills it.
setInterval(() => undefined, 60_000)
