// The kind path, for the CLI: availability, lab up/down/status and the instructor's scenario commands.
export { KubeClient } from './k8s-http.ts';
export {
  clusterName,
  kindAvailable,
  kindLabDown,
  kindLabStatus,
  kindLabUp,
  kindUrls,
  waitForRollouts,
} from './kind-lab.ts';
export { renderKindConfig, renderManifests, toYaml } from './manifests.ts';
export { activeScenario, switchScenario } from './scenario-switch.ts';
