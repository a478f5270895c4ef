/**
 * An experiment of `shipgate.yaml` as the analysis reads it: the core's plan and the
 * aggregation's arms and metrics. The config rules have checked the names it joins.
 */
import type { LoadedConfig } from '../../config/load.js'
import type { ExperimentConfig } from '../../config/experiment-schema.js'
import type { ExperimentPlan, GuardrailPlan, MetricPlan } from '../../core/experiment/index.js'
import { usageError } from '../../errors.js'
import type { AggregationSpec } from './aggregate.js'

/** The experiment `name` of the config, or a usage error naming the ones there are. */
export function experimentOf(loaded: LoadedConfig, name: string): ExperimentConfig {
  const experiments = loaded.config.experiments
  const found = Object.hasOwn(experiments, name) ? experiments[name] : undefined
  if (found !== undefined) return found
  const known = Object.keys(experiments)
  throw usageError(
    `no experiment "${name}" under experiments: in ${loaded.file ?? 'the config'}`,
    known.length > 0
      ? `defined: ${known.join(', ')}`
      : 'add it under experiments: (docs/experiments.md)',
  )
}

/** The planned variants, control first, then the allocation's order. */
export function variantsOf(experiment: ExperimentConfig): string[] {
  const others = Object.keys(experiment.allocation).filter((v) => v !== experiment.control)
  return [experiment.control, ...others]
}

/** What the aggregation reads: the arms and, per metric, its event (default: its name). */
export function aggregationSpec(experiment: ExperimentConfig): AggregationSpec {
  const metrics = Object.fromEntries(
    Object.entries(experiment.metrics).map(([name, m]) => [
      name,
      { event: m.event ?? name, kind: m.kind },
    ]),
  )
  return { variants: variantsOf(experiment), metrics }
}

/** The core's plan of the experiment. */
export function planOf(experiment: ExperimentConfig): ExperimentPlan {
  const metric = (name: string): MetricPlan => {
    const m = experiment.metrics[name]
    if (m === undefined) throw usageError(`metric "${name}" is not under the experiment's metrics:`)
    return { name, kind: m.kind, better: m.better }
  }
  const { primary } = experiment
  const guardrails: GuardrailPlan[] = experiment.guardrails.map((g) => ({
    ...metric(g.metric),
    margin: g.margin,
    relative: g.relative,
  }))
  return {
    control: experiment.control,
    allocation: experiment.allocation,
    primary: { ...metric(primary.metric), effect: primary.effect, sided: primary.sided },
    guardrails,
    alpha: experiment.alpha,
    minUsersPerArm: experiment.minUsersPerArm,
    minDays: experiment.minDays,
    plannedDays: experiment.plannedDays,
  }
}
