/*
 * The manual canary workflow `init --ci github` writes when a target's rollout is a canary:
 * Actions → shipgate canary → Run workflow, with the version to put out. `shipgate deploy` does
 * the canary itself (weights, analysis against stable, promotion or rollback); the workflow
 * checks the version out, records it as a release, runs the deploy with a job timeout covering
 * the planned rollout, finishes a canary a lost runner left behind when re-run, and writes a job
 * summary.
 */
import type { CanaryTarget } from './canary.js'
import { GITHUB_ENV, jobId, PLATFORM_TOKEN, SETUP } from './cd.js'

/** Where the workflow is written. */
export const CANARY_WORKFLOW = '.github/workflows/canary-deploy.yml'

function timeoutNote(target: CanaryTarget): string {
  if (target.plannedMs === null) {
    return `# It can wait for a person (a pause until promoted, or onInconclusive: pause): the job
    # runs up to GitHub's 6 hours; at the timeout it is cancelled and the deploy rolls back.`
  }
  const planned = Math.ceil(target.plannedMs / 60_000)
  const capped =
    target.timeoutMinutes < planned
      ? `\n    # Longer than a GitHub-hosted job may run: use a self-hosted runner and raise it.`
      : ''
  return `# The planned rollout, ${target.plan}, with the health wait and the monitor after it:
    # ${planned} min; plus the time to check out, install, apply, smoke-test and roll back.${capped}`
}

function job(target: CanaryTarget): string {
  const t = target.name
  return `  ${jobId(t)}:
    if: inputs.target == '${t}'
    runs-on: ubuntu-latest
    environment: ${t} # the target's secrets (and its reviewers, if any)
    ${timeoutNote(target)}
    timeout-minutes: ${target.timeoutMinutes}
    # One deploy per target at a time, shared with the deploy and rollback workflows: a run
    # started meanwhile waits for this one (a newer one replaces it), never cancels it.
    concurrency: { group: shipgate-${t}, cancel-in-progress: false }
    env:
      ${PLATFORM_TOKEN}
    steps:
      - uses: actions/checkout@v4
        with: { ref: '\${{ inputs.version }}' }
${SETUP}
      # Content-addressed: the same commit and config give the release id the deploy workflow
      # recorded for it, if it did.
      - name: Release
        id: release
        env: { VERSION: '\${{ inputs.version }}' }
        run: |
          npx shipgate release create --name "$VERSION" --json > release.json
          echo "id=$(jq -r .manifest.id release.json)" >> "$GITHUB_OUTPUT"
      # A re-run after a lost or cancelled run: the deploy it left running is finished or
      # rolled back first (\`deploy --resume --take-over\`: GitHub starts a re-run only after
      # the earlier attempt ended, though maybe on another runner); a canary that finished this
      # release ends here.
      - name: Finish an interrupted canary
        id: resume
        if: github.run_attempt != '1'
        env: { RELEASE: '\${{ steps.release.outputs.id }}' }
        run: |
          npx shipgate canary status ${t} --json > before.json || true
          # Only the deploy of this release, which the lost attempt started, is taken over.
          if [ "$(jq -r '(.deployment.status // empty) + " " + (.deployment.releaseId // empty)' before.json 2>/dev/null)" = "running $RELEASE" ]; then
            code=0
            npx shipgate deploy ${t} --resume --take-over --json > resumed.json || code=$?
            # 1: rolled back, so the canary below starts again; 2 or more: stop here.
            if [ "$code" -gt 1 ]; then exit "$code"; fi
            if [ "$(jq -r '.deployment.status + " " + .deployment.releaseId' resumed.json)" = "succeeded $RELEASE" ]; then
              echo "done=true" >> "$GITHUB_OUTPUT"
            fi
          fi
      # Steps, analysis, promotion or rollback: exit 0 promoted, 1 rolled back. Progress goes
      # to the log; steer it from anywhere that reaches the store:
      # shipgate canary status|pause|resume|promote|abort ${t}
      - name: Canary deploy
        id: deploy
        if: steps.resume.outputs.done != 'true'
        env: { RELEASE: '\${{ steps.release.outputs.id }}' }
        run: npx shipgate deploy ${t} --release "$RELEASE" > deploy.txt
      - name: Job summary
        if: always()
        env: { VERSION: '\${{ inputs.version }}', OUTCOME: '\${{ steps.deploy.outcome }}' }
        run: |
          {
            echo "### Canary of $VERSION on ${t}: $OUTCOME"
            echo '\`\`\`'
            if [ -s deploy.txt ]; then cat deploy.txt; fi
            npx shipgate canary status ${t} || true
            echo '\`\`\`'
          } >> "$GITHUB_STEP_SUMMARY"
`
}

/** The canary workflow for `targets` (each a job, run when the `target` input names it). */
export function githubCanary(targets: readonly CanaryTarget[]): string {
  const names = targets.map((t) => t.name)
  const last = names.at(-1) ?? ''
  return `# shipgate: put a version out as a canary, by hand (Actions → shipgate canary → Run workflow).
# Written by \`shipgate init --ci github\`: rollout: in shipgate.yaml deploys ${names.join(', ')} as a
# canary. \`shipgate deploy\` sets the weights, judges the canary against the stable release and
# promotes it or rolls it back (docs/canary.md); docs/ci.md explains this workflow.
name: shipgate canary

on:
  workflow_dispatch:
    inputs:
      version:
        description: Version to put out — a tag, branch or commit SHA (recorded as a release named after it)
        type: string
        required: true
      target:
        description: Target to deploy it to (its rollout is a canary)
        type: choice
        options: [${[...names].reverse().join(', ')}]
        default: ${last}
        required: true

permissions:
  contents: read

${GITHUB_ENV}
jobs:
${targets.map(job).join('\n')}`
}
