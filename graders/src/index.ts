// What other workspaces may use from graders: the Tempo client, the trace model and the waterfall.

export { readAlerts } from './alerts-file.ts';
export * from './classroom-report.ts';
export { readDashboard, tempoDatasource } from './dashboard-model.ts';
export { doraExample } from './dora-answers.ts';
export { runGradeCommand } from './grade-command.ts';
export * from './grade-model.ts';
export { pushTraces } from './grading-traffic.ts';
export * from './instrumentation-checks.ts';
export { gradeInstrumentation } from './instrumentation-grader.ts';
export * from './metrics-chart.ts';
export * from './question-bank.ts';
export { runQuestionsCommand } from './questions-command.ts';
export { gradeQuiz } from './quiz-grader.ts';
export { gradeRca } from './rca-grader.ts';
export { referenceRca } from './rca-reference.ts';
export { pushReplay, type ReplayLab, startReplayLab } from './replay-lab.ts';
export * from './report-render.ts';
export { noRunningLab, type RunningLab } from './running-lab.ts';
export * from './tempo-client.ts';
export {
  type MetricsExemplarPoint,
  type MetricsPoint,
  type MetricsRequest,
  type MetricsSeriesView,
  TempoMetricsClient,
} from './tempo-metrics.ts';
export * from './trace-model.ts';
export { gradeTraceql } from './traceql-grader.ts';
export * from './traceql-syntax.ts';
export { recordedScenarios } from './traffic-recording.ts';
export { replayWindow, type Segment } from './traffic-replay.ts';
export * from './waterfall.ts';
