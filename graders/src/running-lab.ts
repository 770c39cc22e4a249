// What grading asks of the running lab. The graders sit below the lab (labs' `dojo` CLI runs them), so the
// CLI hands them these answers instead of the graders reaching up into the lab's supervisor or cluster.
export interface RunningLab {
  /** the scenario the lab really runs (under a mystery too); undefined when no lab is running */
  scenario(): Promise<string | undefined>;
  /** the seed the lab was started with, or DOJO_SEED; undefined for the unseeded course */
  seed(): Promise<string | undefined>;
}

/** No lab at all: grading works from the answers and --scenario/--seed alone. */
export const noRunningLab: RunningLab = {
  scenario: async () => undefined,
  seed: async () => undefined,
};
