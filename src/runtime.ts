/**
 * `shipgate/runtime`: the runtime SDK re-exported from @shipgate/runtime, with its Express and
 * Hono adapters, for services that already depend on the CLI package. New services install
 * @shipgate/runtime alone (docs/runtime.md).
 */
export * from '@shipgate/runtime'
export * from '@shipgate/runtime/express'
export * from '@shipgate/runtime/hono'
