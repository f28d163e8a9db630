import type { Root } from 'react-dom/client'
import { nextTask } from '../later/staged-import'
import type { FirstSteps } from './first-steps'

/** A library or group of modules loaded for its evaluation alone (a later stage finds it evaluated). */
export type Library = () => Promise<unknown>

/** The window's code in stages, each a chunk of its own (dynamic `import()`), in the order the start needs them. */
export interface BootStages {
  /** What opening the history and connecting need (zod, Dexie, the shared schemas), a chunk at a time. */
  forFirstSteps: readonly Library[]
  /** Opens the history and connects the bridge: I/O that goes on while the rest is evaluated. */
  firstSteps: () => Promise<{ beginStart: () => FirstSteps }>
  /** What the app needs besides (React, react-virtuoso), a chunk at a time. */
  forApp: readonly Library[]
  /** React's DOM renderer (the largest library, in a stage of its own). */
  react: () => Promise<{ createRoot: (container: HTMLElement) => Root }>
  /** The rest of the app, which starts on what the first steps opened. */
  app: () => Promise<{ startApp: (root: Root, steps: FirstSteps) => Promise<void> }>
}

/**
 * Starts the window a stage at a time, giving the browser its turn between stages: evaluating all of the window's
 * code took one task of 100–250 ms at every load (issue 11). The history opens and the bridge connects (I/O, off this
 * thread) as early as they can, while React and the app are evaluated. Each stage marks its start
 * (`parley:boot:…`). A stage that can't be loaded leaves a plain message, not a blank window.
 */
export async function bootInStages(container: HTMLElement, stages: BootStages, pause: () => Promise<void> = nextTask): Promise<void> {
  const evaluate = async (kind: string, libraries: readonly Library[]): Promise<void> => {
    for (const [index, library] of libraries.entries()) {
      performance.mark(`parley:boot:${kind}-${index}`)
      await library()
      await pause()
    }
  }
  try {
    await evaluate('for-first-steps', stages.forFirstSteps)
    performance.mark('parley:boot:first-steps')
    const steps = (await stages.firstSteps()).beginStart()
    await pause()
    await evaluate('for-app', stages.forApp)
    performance.mark('parley:boot:react-dom')
    const { createRoot } = await stages.react()
    const root = createRoot(container)
    await pause()
    performance.mark('parley:boot:app')
    const { startApp } = await stages.app()
    await startApp(root, steps)
  } catch (error) {
    container.textContent = `Parley could not start: ${error instanceof Error ? error.message : String(error)}`
  }
}
