/*
 * The CD half of the pipeline, as `shipgate init --ci github|gitlab` writes it when shipgate.yaml
 * has targets (or with `--cd`): after CI passes on the default branch, a release is recorded,
 * deployed to the first target, smoke-tested and monitored, then to each next target behind a
 * manual approval and checked the same way; a failed check rolls the target back. Plus a manual
 * rollback and an hourly health and cost check of the last target. Secrets only ever reach a
 * step as environment variables filled from the CI system's secret store.
 */

/** Secrets every CD job gets, by the names shipgate.yaml refers to them by. */
export const GITHUB_ENV = `env:
  # Releases and deployments must outlive the job (rollback reads them): keep them in Postgres.
  SHIPGATE_DATABASE_URL: \${{ secrets.SHIPGATE_DATABASE_URL }}
  # Alerts: the notify: entries of shipgate.yaml read these by name.
  SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}
  SHIPGATE_WEBHOOK_SECRET: \${{ secrets.SHIPGATE_WEBHOOK_SECRET }}
`

/** A job's Node setup steps, after the checkout. */
export const SETUP = `      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci`

/** The platform token a deploy job gets, as an env entry (rename it as `targets:` names it). */
export const PLATFORM_TOKEN = `RAILWAY_TOKEN: \${{ secrets.RAILWAY_TOKEN }} # your platform's token, as targets: names it`

/** A GitHub job id for a target name (ids start with a letter or `_` and take no `.`). */
export const jobId = (target: string): string =>
  `${/^[A-Za-z_]/.test(target) ? '' : 'deploy-'}${target.replace(/\./g, '-')}`

/** One target's job: release, deploy, smoke, monitor; a rollback if the checks fail. */
function githubDeployJob(target: string, head: string): string {
  return `  ${jobId(target)}:
${head}    runs-on: ubuntu-latest
    concurrency: { group: shipgate-${target}, cancel-in-progress: false }
    env:
      ${PLATFORM_TOKEN}
    steps:
      - uses: actions/checkout@v4
        with: { ref: '\${{ github.event.workflow_run.head_sha || github.sha }}' }
${SETUP}
      - name: Release
        run: npx shipgate release create
      - name: Deploy
        id: deploy
        run: npx shipgate deploy ${target}
      - name: Smoke
        run: npx shipgate smoke ${target}
      - name: Monitor
        run: npx shipgate monitor ${target} --duration 5m
      # A release that deployed and then failed smoke or monitor goes back to the one before
      # (a failed deploy step is rolled back by \`shipgate deploy\` itself).
      - name: Roll back
        if: failure() && steps.deploy.outcome == 'success'
        run: npx shipgate rollback ${target}
`
}

function githubDeploy(targets: readonly string[], branch: string): string {
  const [first = '', ...rest] = targets
  const jobs = [
    githubDeployJob(
      first,
      `    # Only after CI passed (or when started by hand).
    if: github.event_name == 'workflow_dispatch' || github.event.workflow_run.conclusion == 'success'
    environment: ${first}
`,
    ),
    ...rest.map((target, i) =>
      githubDeployJob(
        target,
        `    needs: ${jobId(targets[i] ?? first)}
    environment: ${target} # required reviewers: the deploy waits for an approval
`,
      ),
    ),
  ]
  const approval =
    rest.length === 0
      ? ''
      : `\n# Required reviewers on the ${rest.join(', ')} environment (Settings → Environments) are the\n# manual approval before ${rest.length === 1 ? 'it' : 'each'}.`
  return `# shipgate: deploy what passed CI on ${branch} to ${targets.join(', then ')} (targets in shipgate.yaml).
# Written by \`shipgate init --ci github\`; docs/ci.md explains each step.${approval}
name: shipgate deploy

on:
  workflow_run:
    workflows: [shipgate]
    types: [completed]
    branches: [${branch}]
  workflow_dispatch:

permissions:
  contents: read

${GITHUB_ENV}
jobs:
${jobs.join('\n')}`
}

function githubRollback(targets: readonly string[]): string {
  const last = targets.at(-1) ?? ''
  return `# shipgate: roll a target back by hand — code, prompt version, model version or all.
# Written by \`shipgate init --ci github\`; docs/ci.md explains it.
name: shipgate rollback

on:
  workflow_dispatch:
    inputs:
      target:
        description: Target to roll back
        type: choice
        options: [${[...targets].reverse().join(', ')}]
        default: ${last}
        required: true
      to:
        description: Release id to go back to (default the one before the current)
        type: string
        required: false
      only:
        description: What to roll back
        type: choice
        options: [all, code, prompt, model]
        default: all
        required: true

permissions:
  contents: read

${GITHUB_ENV}
jobs:
  rollback:
    runs-on: ubuntu-latest
    environment: \${{ inputs.target }} # the target's secrets (and its reviewers, if any)
    concurrency: { group: 'shipgate-\${{ inputs.target }}', cancel-in-progress: false }
    env:
      ${PLATFORM_TOKEN}
    steps:
      - uses: actions/checkout@v4
${SETUP}
      # Inputs reach the shell as variables, never pasted into the script.
      - name: Roll back
        env:
          TARGET: \${{ inputs.target }}
          TO: \${{ inputs.to }}
          ONLY: \${{ inputs.only }}
        run: npx shipgate rollback "$TARGET" --only "$ONLY" \${TO:+--to "$TO"}
      - name: Smoke
        env: { TARGET: '\${{ inputs.target }}' }
        run: npx shipgate smoke "$TARGET"
`
}

function githubHealth(target: string): string {
  return `# shipgate: every hour, ${target}'s health and its cost per hour against monitor: limits.
# Written by \`shipgate init --ci github\`; docs/ci.md explains it. A failed check alerts
# through notify: and fails this run.
name: shipgate health

on:
  schedule:
    - cron: '0 * * * *'
  workflow_dispatch:

permissions:
  contents: read

${GITHUB_ENV}
jobs:
  health:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${SETUP}
      - name: Health and cost
        run: npx shipgate monitor ${target} --once
`
}

/**
 * The CD workflows of GitHub Actions for `targets` (deployed in that order; the last one is
 * health-checked every hour), run after CI on `branch`, by path.
 */
export function githubCd(targets: readonly string[], branch: string): Record<string, string> {
  return {
    '.github/workflows/shipgate-deploy.yml': githubDeploy(targets, branch),
    '.github/workflows/shipgate-rollback.yml': githubRollback(targets),
    '.github/workflows/shipgate-health.yml': githubHealth(targets.at(-1) ?? ''),
  }
}

// GitLab knows the repository's default branch: no branch name is written into the pipeline.
const ON_MAIN = `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"`

function gitlabTarget(target: string, after: string, manual: boolean): string {
  const approval = manual
    ? `\n      when: manual\n  allow_failure: false # the pipeline waits for the approval`
    : ''
  return `deploy-${target}:
  stage: ${target}
  needs: [${after}]
  rules:
    - if: ${ON_MAIN}${approval}
  environment: { name: ${target} }
  resource_group: ${target}
  script:
    - npx shipgate release create
    - npx shipgate deploy ${target}

verify-${target}:
  stage: ${target}
  needs: [deploy-${target}]
  rules:
    - if: ${ON_MAIN}
  resource_group: ${target}
  script:
    - npx shipgate smoke ${target}
    - npx shipgate monitor ${target} --duration 5m

# Runs only when the checks failed: the release deployed, so the one before goes back.
rollback-${target}:
  stage: ${target}
  needs: [verify-${target}]
  rules:
    - if: ${ON_MAIN}
      when: on_failure
  resource_group: ${target}
  script:
    - npx shipgate rollback ${target}
`
}

/**
 * The CD jobs of the GitLab pipeline for `targets`, appended to the CI ones. SHIPGATE_DATABASE_URL,
 * SLACK_WEBHOOK_URL, SHIPGATE_WEBHOOK_SECRET and the platform token are masked CI/CD variables.
 */
export function gitlabCd(targets: readonly string[]): string {
  const last = targets.at(-1) ?? ''
  const jobs = targets.map((target, i) =>
    gitlabTarget(target, i === 0 ? 'shipgate-main' : `verify-${targets[i - 1] ?? ''}`, i > 0),
  )
  return `
# On the default branch, after the eval: a release to ${targets[0] ?? ''}, smoke-tested and monitored for
# five minutes${targets.length > 1 ? `; then ${targets.slice(1).join(', then ')}, started by hand (the approval), checked the same way` : ''}.
# CI/CD variables (masked): SHIPGATE_DATABASE_URL (releases outlive the job), SLACK_WEBHOOK_URL,
# SHIPGATE_WEBHOOK_SECRET and your platform's token.
${jobs.join('\n')}
# By hand from a default-branch pipeline: roll back (variables ROLLBACK_TARGET, ROLLBACK_TO,
# ROLLBACK_ONLY).
rollback:
  stage: ${last}
  needs: []
  rules:
    - if: ${ON_MAIN}
      when: manual
  allow_failure: true
  variables: { ROLLBACK_TARGET: ${last}, ROLLBACK_ONLY: all }
  script:
    - npx shipgate rollback "$ROLLBACK_TARGET" --only "$ROLLBACK_ONLY" \${ROLLBACK_TO:+--to "$ROLLBACK_TO"}

# Hourly, from a pipeline schedule (Build → Pipeline schedules, cron "0 * * * *"): ${last}'s
# health and cost per hour; a failed check alerts through notify: and fails the pipeline.
health-check:
  stage: ${last}
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - npx shipgate monitor ${last} --once
`
}
