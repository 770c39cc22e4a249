// What other workspaces may use from labs: where a running lab keeps its state and what it runs. The
// course's facts (catalog, ports, versions, releases) are in @dojo/course.
export { labPaths } from '@dojo/course';
export { readStatus } from './local/supervisor-client.ts';
export { runningScenario, runningSeed } from './running-lab.ts';
