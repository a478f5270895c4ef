/** GitHub as shipgate talks to it: the REST API (issue comments) and the Actions event payload. */
export { githubApi, nextPage, type Fetch, type GithubApi, type GithubApiOptions } from './api.js'
export { pullRequestLabels, pullRequestNumber } from './event.js'
