/*
 * The CD half of the seed's pipeline, as `shipgate init --ci github|gitlab` writes it: after CI
 * passes on main, a release is recorded, deployed to staging, smoke-tested and monitored, then
 * deployed to production behind a manual approval and checked the same way; a failed check rolls
 * the target back. Plus a manual rollback and an hourly health and cost check. The pipelines
 * assume targets named `staging` and `production` in shipgate.yaml. Secrets only ever reach a
 * step as environment variables filled from the CI system's secret store.
 */

/** Secrets every CD job gets, by the names shipgate.yaml refers to them by. */
const GITHUB_ENV = `env:
  # Releases and deployments must outlive the job (rollback reads them): keep them in Postgres.
  SHIPGATE_DATABASE_URL: \${{ secrets.SHIPGATE_DATABASE_URL }}
  # Alerts: the notify: entries of shipgate.yaml read these by name.
  SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}
  SHIPGATE_WEBHOOK_SECRET: \${{ secrets.SHIPGATE_WEBHOOK_SECRET }}
`

const SETUP = `      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci`

/** One target's job: release, deploy, smoke, monitor; a rollback if the checks fail. */
function githubDeployJob(target: 'staging' | 'production', head: string): string {
  return `  ${target}:
${head}    runs-on: ubuntu-latest
    concurrency: { group: shipgate-${target}, cancel-in-progress: false }
    env:
      RAILWAY_TOKEN: \${{ secrets.RAILWAY_TOKEN }} # your platform's token, as targets: names it
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

const GITHUB_DEPLOY = `# shipgate: deploy what passed CI on main — staging, then production after approval.
# Written by \`shipgate init --ci github\`; docs/ci.md explains each step. Needs targets named
# staging and production in shipgate.yaml, and required reviewers on the production environment
# (Settings → Environments): that is the manual approval.
name: shipgate deploy

on:
  workflow_run:
    workflows: [shipgate]
    types: [completed]
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

${GITHUB_ENV}
jobs:
${githubDeployJob(
  'staging',
  `    # Only after CI passed (or when started by hand).
    if: github.event_name == 'workflow_dispatch' || github.event.workflow_run.conclusion == 'success'
    environment: staging
`,
)}
${githubDeployJob(
  'production',
  `    needs: staging
    environment: production # required reviewers: the deploy waits for an approval
`,
)}`

const GITHUB_ROLLBACK = `# shipgate: roll a target back by hand — code, prompt version, model version or all.
# Written by \`shipgate init --ci github\`; docs/ci.md explains it.
name: shipgate rollback

on:
  workflow_dispatch:
    inputs:
      target:
        description: Target to roll back
        type: choice
        options: [production, staging]
        default: production
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
      RAILWAY_TOKEN: \${{ secrets.RAILWAY_TOKEN }} # your platform's token, as targets: names it
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

const GITHUB_HEALTH = `# shipgate: every hour, production's health and its cost per hour against monitor: limits.
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
        run: npx shipgate monitor production --once
`

/** The CD workflows of GitHub Actions, by path. */
export const GITHUB_CD: Readonly<Record<string, string>> = {
  '.github/workflows/shipgate-deploy.yml': GITHUB_DEPLOY,
  '.github/workflows/shipgate-rollback.yml': GITHUB_ROLLBACK,
  '.github/workflows/shipgate-health.yml': GITHUB_HEALTH,
}

const ON_MAIN = `$CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"`

function gitlabTarget(target: 'staging' | 'production', after: string, manual: boolean): string {
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
 * The CD jobs of the GitLab pipeline, appended to the CI ones. SHIPGATE_DATABASE_URL,
 * SLACK_WEBHOOK_URL, SHIPGATE_WEBHOOK_SECRET and the platform token are masked CI/CD variables.
 */
export const GITLAB_CD = `
# On main, after the eval: a release to staging, smoke-tested and monitored for five minutes;
# then production, started by hand (the approval), checked the same way. CI/CD variables
# (masked): SHIPGATE_DATABASE_URL (releases outlive the job), SLACK_WEBHOOK_URL,
# SHIPGATE_WEBHOOK_SECRET and your platform's token. Needs targets staging and production.
${gitlabTarget('staging', 'shipgate-main', false)}
${gitlabTarget('production', 'verify-staging', true)}
# By hand from a main pipeline: roll back (variables ROLLBACK_TARGET, ROLLBACK_TO, ROLLBACK_ONLY).
rollback:
  stage: production
  needs: []
  rules:
    - if: ${ON_MAIN}
      when: manual
  allow_failure: true
  variables: { ROLLBACK_TARGET: production, ROLLBACK_ONLY: all }
  script:
    - npx shipgate rollback "$ROLLBACK_TARGET" --only "$ROLLBACK_ONLY" \${ROLLBACK_TO:+--to "$ROLLBACK_TO"}

# Hourly, from a pipeline schedule (Build → Pipeline schedules, cron "0 * * * *"): production's
# health and cost per hour; a failed check alerts through notify: and fails the pipeline.
health-check:
  stage: production
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - npx shipgate monitor production --once
`
