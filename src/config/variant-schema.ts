import * as z from '../utils/zod.js'
import { configName, variantName } from './names.js'

const described = <T extends z.ZodMiniType>(schema: T, text: string): T =>
  schema.check(z.describe(text))

/** One variant of a suite: what it runs instead of the suite's prompt and provider. */
export const variantSchema = described(
  z.strictObject({
    prompt: z.optional(described(configName, "Prompt of this variant, over the suite's.")),
    provider: z.optional(described(configName, "Provider of this variant, over the suite's.")),
    params: z.optional(
      described(
        z.record(z.string(), z.unknown()),
        "Provider settings merged over the provider's, as `ci.providers` and `--provider` do: request parameters (temperature, max_tokens) go into its `params`, its own keys (model, baseUrl) replace them.",
      ),
    ),
  }),
  'A variant: a prompt version, a provider, params, or a combination.',
)

/** A suite's variants by name: every case runs on each. */
export const variantsSchema = described(
  z.record(variantName, variantSchema),
  'Variants by name; every case runs on each, reported as the suite `name[variant]` (docs/ab.md).',
)

const axis = (what: string) =>
  z.optional(
    described(
      z.array(configName).check(z.minLength(1)),
      `${what} to cross with the other axis; each becomes a variant.`,
    ),
  )

/** A cross product of prompts and providers, each pair a variant named `prompt@provider`. */
export const matrixSchema = described(
  z.strictObject({
    prompt: axis('Entries under `prompts`'),
    provider: axis('Entries under `providers`'),
  }),
  'Every prompt × provider as a variant named `prompt@provider` (one axis: the name alone); not together with `variants`.',
)

export type VariantConfig = z.output<typeof variantSchema>
export type MatrixConfig = z.output<typeof matrixSchema>
