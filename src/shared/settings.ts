import { z } from 'zod'
import { idSchema } from './call'

export const providerKindSchema = z.enum(['openai', 'anthropic'])
export type ProviderKind = z.infer<typeof providerKindSchema>

/**
 * The one rule for a provider's address, wherever it comes from (settings, the form, `--provider-url`): http or https,
 * and no user name or password in it (a key belongs in the key store, where it is never shown or logged).
 */
export const providerUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Use an http:// or https:// address.' })
  .max(2048)
  .refine((url) => {
    // An address that isn't one has its own issue already (zod goes on to this check after the first one failed).
    if (!URL.canParse(url)) return true
    const parsed = new URL(url)
    return parsed.username === '' && parsed.password === ''
  }, 'Leave the user name and password out of the address: put the key in the API key field.')

/**
 * An API key: surrounding whitespace (a pasted line break) is trimmed; one with whitespace or control characters
 * inside would end up in a header it breaks, and in error text, so it is refused.
 */
export const apiKeySchema = z
  .string()
  .trim()
  .max(4096)
  .regex(/^[^\s\p{Cc}]*$/u, 'An API key has no spaces, line breaks or control characters in it.')

export const providerConfigSchema = z.object({
  id: idSchema,
  kind: providerKindSchema,
  name: z.string().min(1).max(100),
  /** For `openai`, any OpenAI-compatible server: Ollama, LM Studio, llama.cpp, vLLM, OpenRouter. */
  baseUrl: providerUrlSchema
})
export type ProviderConfig = z.infer<typeof providerConfigSchema>

export const modelRefSchema = z.object({
  providerId: idSchema,
  model: z.string().min(1).max(200),
  /** Tokens the model can see; the oldest messages are dropped beyond it (rule B2). */
  contextWindow: z.number().int().min(512).max(10_000_000).default(8192),
  maxOutputTokens: z.number().int().min(16).max(1_000_000).default(2048)
})
export type ModelRef = z.infer<typeof modelRefSchema>

/** The desktop shell's own settings; browser mode keeps them but has no tray or notifications. */
export const desktopSettingsSchema = z.object({
  /** Closing the window hides it to the tray, and runs go on. */
  closeToTray: z.boolean(),
  notifications: z.object({
    /** A notification when a run completes. */
    enabled: z.boolean(),
    /** Only when the window is hidden or not focused. */
    onlyInBackground: z.boolean()
  })
})
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>
export const defaultDesktopSettings: DesktopSettings = {
  closeToTray: true,
  notifications: { enabled: true, onlyInBackground: true }
}

export const settingsSchema = z.object({
  providers: z.array(providerConfigSchema).min(1).max(32),
  models: z.object({
    large: modelRefSchema,
    /** Titles (rule E1); the large model is used when it is not set. */
    small: modelRefSchema.optional()
  }),
  systemPrompt: z.string().max(20_000).default(''),
  /** Retries of a 429 or 503 before the first token (rule C4). */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /**
   * How long a prompt waits for a server that says it is loading the model (a 503 before the first token, rule C6),
   * counted from that run's first "loading" answer, before it fails.
   */
  loadingTimeoutSeconds: z.number().int().min(10).max(86_400).default(600),
  desktop: desktopSettingsSchema.default(defaultDesktopSettings)
})
export type Settings = z.infer<typeof settingsSchema>

/**
 * A file of the data folder that main found damaged at start (settings, chats, keys, journal): every valid entry was
 * kept, the rest left out, and the damaged file copied aside first (`backupPath`, '' when that failed too).
 */
export const dataRecoverySchema = z.object({
  file: z.string().max(200),
  backupPath: z.string().max(4096),
  reason: z.string().max(2000),
  kept: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative()
})
export type DataRecovery = z.infer<typeof dataRecoverySchema>

/** What the renderer sees: keys never leave main, only whether one is set. */
export const settingsViewSchema = settingsSchema.extend({
  apiKeys: z.record(z.string(), z.boolean()),
  /** Set when keys are not really protected (browser mode's file, or Linux's basic_text backend). */
  secretsWarning: z.string().optional(),
  /** The files main found damaged at start: what it kept, what it lost, and where it copied each damaged file. */
  recovered: z.array(dataRecoverySchema).max(50).optional()
})
export type SettingsView = z.infer<typeof settingsViewSchema>

export const settingsPatchSchema = z
  .object({
    providers: settingsSchema.shape.providers.optional(),
    models: settingsSchema.shape.models.optional(),
    systemPrompt: z.string().max(20_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    loadingTimeoutSeconds: z.number().int().min(10).max(86_400).optional(),
    desktop: desktopSettingsSchema.optional(),
    /** Set (a string) or clear (null) one provider's key. */
    apiKey: z.object({ providerId: idSchema, key: apiKeySchema.nullable() }).optional()
  })
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

/**
 * A provider as the settings form holds it, before it is saved: what Test and Load models check, so they check what
 * was typed, not what is stored. Without `apiKey`, the key stored for `providerId` (if any) is used.
 */
export const providerTargetSchema = z
  .object({
    kind: providerKindSchema,
    baseUrl: providerUrlSchema,
    providerId: idSchema.optional(),
    apiKey: apiKeySchema.optional()
  })
  .strict()
export type ProviderTarget = z.infer<typeof providerTargetSchema>

/** A saved provider by its id, or one being edited. */
export const providerRefSchema = z.union([idSchema, providerTargetSchema])
export type ProviderRef = z.infer<typeof providerRefSchema>

export const defaultProviderId = 'ollama'

/** A fresh install talks to a local Ollama, so it works offline as soon as Ollama runs. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({
    providers: [
      { id: defaultProviderId, kind: 'openai', name: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1' }
    ],
    models: { large: { providerId: defaultProviderId, model: 'llama3.2' } }
  })
}
