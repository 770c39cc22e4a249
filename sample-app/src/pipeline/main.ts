// pipeline: the delivery pipeline that ships changes from commit to production, as traces from `jenkins`
// (CI) and `argocd` (deploys). Each change's stages are laid out in simulated time (minutes to hours) that
// ends when its trace is emitted; a few changes finish per minute (PIPELINE_CHANGES_PER_MINUTE). At start
// it reports the shop's own deploys: the active scenario's, or the rollback of the previous one.
import { UserError } from '@dojo/course';
import { createLogger } from '../log.ts';
import { readTracingSettings, TracingEnvError } from '../telemetry/tracing-env.ts';
import { ChangeSource } from './changes.ts';
import { PipelineEmitter } from './emitter.ts';
import { labDeploys } from './lab-deploys.ts';
import { planChange } from './plan.ts';
import { seededRandom } from './random.ts';
import { type PipelineSettings, readPipelineSettings } from './settings.ts';

const log = createLogger('pipeline');
/** how much history a fresh lab gets at once, so lead time and failure rate have data from the start */
const replayMinutes = 10;

function fail(message: string): never {
  process.stderr.write(`pipeline: ${message}\n`);
  process.exit(2);
}

let settings: PipelineSettings;
let tracing: ReturnType<typeof readTracingSettings>;
try {
  settings = readPipelineSettings();
  tracing = readTracingSettings();
} catch (e) {
  if (e instanceof UserError || e instanceof TracingEnvError) fail(e.message);
  throw e;
}

let timer: NodeJS.Timeout | undefined;
let emitter: PipelineEmitter | undefined;

async function stop() {
  clearTimeout(timer);
  await emitter?.shutdown().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

if (process.env.OTEL_SDK_DISABLED === 'true') {
  // Lab 1's uninstrumented starting point: nothing is traced, the pipeline included.
  log.info('tracing is off (OTEL_SDK_DISABLED=true): no pipeline traces');
  timer = setInterval(() => {}, 2 ** 30);
} else {
  const { OTLPTraceExporter } =
    tracing.protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  emitter = new PipelineEmitter(() => new OTLPTraceExporter(), tracing.batch, settings.environment);
  const random = seededRandom(settings.seed ?? Math.floor(Math.random() * 2 ** 31));
  const source = new ChangeSource(random);
  const now = Date.now();
  const replayFromMs = now - replayMinutes * 60_000;
  for (const deploy of labDeploys(source, settings.current, settings.previous, now, replayFromMs)) {
    const traceId = emitter.emit(deploy.plan);
    log.info(`${deploy.what}: trace ${traceId}`);
  }
  if (!settings.previous && settings.changesPerMinute > 0) {
    // The recent past, so a fresh lab already shows lead times, retries and rollbacks.
    const ends = Array.from(
      // At most 100: the exporter's queue holds about 2,000 spans.
      { length: Math.min(100, Math.round(settings.changesPerMinute * replayMinutes)) },
      () => replayFromMs + random.next() * (now - replayFromMs),
    ).sort((a, b) => a - b);
    for (const end of ends) emitter.emit(planChange(source.background(end), random));
    log.info(`replayed ${ends.length} changes of the last ${replayMinutes} minutes`);
  }
  let emitted = 0;
  const next = () => {
    const pipelines = emitter!;
    timer = setTimeout(
      () => {
        pipelines.emit(planChange(source.background(Date.now()), random));
        emitted += 1;
        if (emitted % 20 === 0) log.info('changes', { emitted });
        next();
      },
      random.exponential(60_000 / settings.changesPerMinute),
    );
  };
  if (settings.changesPerMinute > 0) next();
  else timer = setInterval(() => {}, 2 ** 30);
  log.info(
    `pipeline sending ${settings.changesPerMinute} changes per minute (scenario ${settings.current.id} since ${settings.current.since})`,
  );
}
