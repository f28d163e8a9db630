import type { Root } from 'react-dom/client'
import { nextTask } from '../later/staged-import'
import type { FirstSteps } from './first-steps'

/** The window's code in stages, each a chunk of its own (dynamic `import()`), in the order the start needs them. */
export interface BootStages {
  /** React and its DOM renderer (the largest library). */
  react: () => Promise<{ createRoot: (container: HTMLElement) => Root }>
  /** Libraries and schemas the first steps need, each evaluated on its own (Dexie; the shared zod schemas). */
  libraries: readonly (() => Promise<unknown>)[]
  /** zod, the shared schemas, Dexie and the bridge client: what opening the history and connecting need. */
  firstSteps: () => Promise<{ beginStart: () => FirstSteps }>
  /** The rest of the app, which starts on what the first steps opened. */
  app: () => Promise<{ startApp: (root: Root, steps: FirstSteps) => Promise<void> }>
}

/**
 * Starts the window a stage at a time, giving the browser its turn between stages: evaluating all of the window's
 * code took one task of 100–250 ms at every load. The history opens and the bridge connects (I/O, off this thread)
 * while the app's own stage is evaluated. A stage that can't be loaded leaves a plain message, not a blank window.
 */
export async function bootInStages(container: HTMLElement, stages: BootStages, pause: () => Promise<void> = nextTask): Promise<void> {
  try {
    performance.mark('parley:boot:react')
    const { createRoot } = await stages.react()
    const root = createRoot(container)
    await pause()
    for (const [index, library] of stages.libraries.entries()) {
      performance.mark(`parley:boot:library-${index}`)
      await library()
      await pause()
    }
    performance.mark('parley:boot:first-steps')
    const steps = (await stages.firstSteps()).beginStart()
    await pause()
    performance.mark('parley:boot:app')
    const { startApp } = await stages.app()
    await startApp(root, steps)
  } catch (error) {
    container.textContent = `Parley could not start: ${error instanceof Error ? error.message : String(error)}`
  }
}
