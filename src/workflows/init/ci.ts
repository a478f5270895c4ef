/*
 * The CI half of the pipeline, as `shipgate init --ci github|gitlab` writes it: quick
 * checks → unit tests → secret scan → eval on cassettes → gate against the default branch's
 * results → PR comment; on the default branch, the results are kept as the next baseline. Every
 * step that is shipgate's is a shipgate command (test/e2e/init-ci.test.ts runs them in order).
 * The CD half (deploy, rollback, health check) lives in cd.ts.
 */

import type { CanaryTarget } from './canary.js'
import { CANARY_WORKFLOW, githubCanary } from './canary-github.js'
import { githubCd, gitlabCd } from './cd.js'

/** Where each CI system reads its CI pipeline from (GitHub also gets the CD workflows). */
export const CI_FILES = {
  github: '.github/workflows/shipgate.yml',
  gitlab: '.gitlab-ci.yml',
} as const

export type CiSystem = keyof typeof CI_FILES

function github(branch: string): string {
  return `# shipgate: prompt regression suites, gates and reports on every pull request.
# Written by \`shipgate init --ci github\`; docs/ci.md explains each step.
name: shipgate

on:
  pull_request:
  push:
    branches: [${branch}]

permissions:
  contents: read
  actions: read # download the ${branch} branch's results (the baseline)
  pull-requests: write # the PR comment
  security-events: write # the secret scan's SARIF in code scanning

jobs:
  checks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      - name: Quick checks
        run: npm run lint --if-present && npm run typecheck --if-present
      - name: Unit tests
        run: npm test --if-present
      - name: Secret scan
        run: npx shipgate scan --sarif shipgate-scan.sarif
      - name: Secret scan results to code scanning
        if: \${{ !cancelled() && hashFiles('shipgate-scan.sarif') != '' }}
        uses: github/codeql-action/upload-sarif@v3
        with: { sarif_file: shipgate-scan.sarif, category: shipgate-scan }

  eval:
    needs: checks
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { fetch-depth: 0 } # select compares with the merge base
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci

      # The baseline: results.json of the latest successful run on ${branch}, if there is one.
      - name: Download the baseline
        if: github.event_name == 'pull_request'
        env: { GH_TOKEN: '\${{ github.token }}' }
        run: |
          id=$(gh run list --branch ${branch} --workflow shipgate --status success --limit 1 --json databaseId -q '.[0].databaseId')
          if [ -n "$id" ]; then gh run download "$id" -n shipgate-baseline -D baseline || true; fi

      # Eval on cassettes (no key, no network), only the suites the change affects, then the
      # gate against ${branch} and the reports. Exit 1 when a gate check fails.
      - name: Eval and gate
        if: github.event_name == 'pull_request'
        run: npx shipgate ci --replay --since origin/\${{ github.base_ref }} --baseline baseline/results.json --verdict verdict.json --comment comment.md -o results.json -o junit.xml -o report.html

      # On ${branch}: the full run, kept as the baseline of the next pull requests.
      - name: Eval (${branch})
        if: github.event_name == 'push'
        run: npx shipgate eval --replay -o results.json -o junit.xml -o report.html

      - uses: actions/upload-artifact@v4
        id: artifact
        if: \${{ !cancelled() && hashFiles('results.json') != '' }}
        with:
          name: \${{ github.event_name == 'push' && 'shipgate-baseline' || 'shipgate' }}
          path: |
            results.json
            junit.xml
            verdict.json
            comment.md
            report.html
          retention-days: 90

      # The HTML report (every case and sample, side by side with the baseline) is in the
      # artifact; the comment and the job summary link to it.
      - name: Link the HTML report
        if: \${{ !cancelled() && steps.artifact.outputs.artifact-url != '' }}
        env: { REPORT_URL: '\${{ steps.artifact.outputs.artifact-url }}' }
        run: echo "📄 [The HTML report]($REPORT_URL) (download, then open report.html)" >> "$GITHUB_STEP_SUMMARY"

      - name: PR comment
        if: \${{ !cancelled() && github.event_name == 'pull_request' && hashFiles('verdict.json') != '' && github.event.pull_request.head.repo.full_name == github.repository }}
        env:
          GITHUB_TOKEN: '\${{ github.token }}'
          REPORT_URL: '\${{ steps.artifact.outputs.artifact-url }}'
        run: npx shipgate comment --verdict verdict.json --results results.json \${REPORT_URL:+--report-url "$REPORT_URL"}
`
}

function gitlab(targets: readonly string[]): string {
  return `# shipgate: prompt regression suites, gates and reports on every merge request.
# Written by \`shipgate init --ci gitlab\`; docs/ci.md explains each step.
stages: [${['check', 'test', 'scan', 'eval', ...targets].join(', ')}]

# One pipeline per change: a merge request's pipeline, or a branch pipeline when no merge
# request is open (and the scheduled health check). No duplicate branch + MR pipelines.
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH

default:
  image: node:20
  cache:
    key: { files: [package-lock.json] }
    paths: [.npm/]
  before_script:
    - npm ci --cache .npm --prefer-offline

# The CI jobs run on pushes and merge requests, not on the scheduled health check.
.ci:
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
      when: never
    - when: on_success

quick-checks:
  extends: .ci
  stage: check
  script:
    - npm run lint --if-present
    - npm run typecheck --if-present

unit-tests:
  extends: .ci
  stage: test
  script:
    - npm test --if-present

secret-scan:
  extends: .ci
  stage: scan
  script:
    - npx shipgate scan --sarif shipgate-scan.sarif
  artifacts:
    when: always
    paths: [shipgate-scan.sarif]

# On a merge request: eval on cassettes (no key, no network), only the suites the change
# affects, gated against the default branch's last results. Exit 1 when a gate check fails.
shipgate-mr:
  stage: eval
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0" # select compares with the merge base
  script:
    - git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - 'curl -sfL -o baseline.zip -H "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/jobs/artifacts/$CI_DEFAULT_BRANCH/download?job=shipgate-main" && unzip -o baseline.zip -d baseline || true'
    - npx shipgate ci --replay --since origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME --baseline baseline/results.json --verdict verdict.json --comment comment.md -o results.json -o junit.xml -o report.html
  artifacts:
    when: always
    # The merge request links the exposed files: report.html opens in the browser.
    expose_as: shipgate report
    paths: [report.html, results.json, verdict.json, comment.md, junit.xml]
    reports:
      junit: junit.xml

# On the default branch: the full run, kept as the baseline of the next merge requests.
shipgate-main:
  stage: eval
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"
  script:
    - npx shipgate eval --replay -o results.json -o junit.xml -o report.html
  artifacts:
    when: always
    expire_in: 90 days
    paths: [results.json, junit.xml, report.html]
    reports:
      junit: junit.xml
`
}

/** What a pipeline is written for. */
export interface CiOptions {
  /** The repository's default branch: the baseline's, and the one deploys start from. */
  readonly branch: string
  /** Deploy targets in order; none writes no CD jobs. */
  readonly targets: readonly string[]
  /** Targets whose rollout is a canary: GitHub gets the manual canary workflow for them. */
  readonly canary?: readonly CanaryTarget[]
}

/** The files of a CI system's pipeline, by path; the first is `CI_FILES`'s. */
export function ciTemplates(ci: CiSystem, options: CiOptions): Record<string, string> {
  const { branch, targets, canary = [] } = options
  if (ci === 'github') {
    return {
      [CI_FILES.github]: github(branch),
      ...(targets.length > 0 ? githubCd(targets, branch) : {}),
      ...(canary.length > 0 ? { [CANARY_WORKFLOW]: githubCanary(canary) } : {}),
    }
  }
  return { [CI_FILES.gitlab]: `${gitlab(targets)}${targets.length > 0 ? gitlabCd(targets) : ''}` }
}
