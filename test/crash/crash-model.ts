// What the crash tests' main talks to, and how it is set up: one scripted model server answering every prompt the
// same way (the answer's start names the prompt, so a cut-off answer can be checked), and the settings pointing at it.
import { settingsSchema, type ParleyEvent, type Settings } from '../../src/shared'
import { lastUserText, startScriptedServer, type ScriptedServer } from '../../e2e/fixtures/scripted-server'
import type { LifetimeLine } from './lifetime-plan'

/** The answer the model streams to a prompt: its own words first, then 40 more, a few ms apart. */
export const answerTokens = (prompt: string): string[] => [`answer to ${prompt}:`, ...Array.from({ length: 40 }, (_, i) => ` w${i}`)]

export const answerText = (prompt: string): string => answerTokens(prompt).join('')

/** The model server: `large` answers with `answerTokens`, `small` (titles) with "A title". */
export async function startCrashModel(): Promise<ScriptedServer> {
  const server = await startScriptedServer({ models: ['large', 'small'] })
  server.setDefault((request) => {
    const body = request.body
    const titles = typeof body === 'object' && body !== null && 'model' in body && body.model === 'small'
    return titles ? { text: 'A title' } : { tokens: answerTokens(lastUserText(request)), tokenDelayMs: 8 }
  })
  return server
}

/** Main's settings: the large and small models both on the crash model at `url`. */
export function crashSettings(url: string): Settings {
  return settingsSchema.parse({
    providers: [{ id: 'scripted', kind: 'openai', name: 'Scripted', baseUrl: url }],
    models: { large: { providerId: 'scripted', model: 'large' }, small: { providerId: 'scripted', model: 'small' } }
  })
}

/** What a client printed for an event it heard (the RunComplete whole, for the others their seq and type). */
export function heardLine(event: ParleyEvent): LifetimeLine {
  return { t: 'event', seq: event.seq, type: event.type, ...(event.type === 'run.complete' ? { complete: event.complete } : {}) }
}
