// The kind path, for the CLI: availability, lab up/down/status and the instructor's scenario commands.
export { KubeClient } from './k8s-http.ts';
export {
  clusterName,
  kindAvailable,
  kindLabDown,
  kindLabStatus,
  kindLabUp,
  kindUrls,
  type WaitOptions,
  type WorkloadStatus,
  waitForRollouts,
} from './kind-lab.ts';
export { renderKindConfig, renderManifests, toYaml } from './manifests.ts';
export {
  activeScenario,
  kindScenarioReset,
  kindScenarioSet,
  type SwitchResult,
  switchScenario,
} from './scenario-switch.ts';
