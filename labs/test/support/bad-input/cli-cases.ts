// The bad-input table, part 1: commands and flags, a lab that is not running, query and trace, and
// TEMPO_URL at servers that are not Tempo.
import { dirname } from 'node:path';
import { type Case, mustBeHttp, traceId, unreachable } from './case.ts';

const notRunning = /^the lab is not running; start it with `make lab-up`$/;
const notTempo = (got: string) =>
  new RegExp(
    `^http://127\\.0\\.0\\.1:\\d+ is not a Tempo API \\(got ${got}\\); point TEMPO_URL at Tempo's HTTP port, or unset it for the lab's$`,
  );
const invalidTraceql = /^invalid TraceQL, line \d+, column \d+: \S.*$/;

export const cliCases: Case[] = [
  // Commands and flags
  {
    name: 'no command',
    args: [],
    code: 2,
    err: /^no command given; start with `dojo lab up`, or run `dojo --help`/,
  },
  { name: 'unknown command', args: ['fly'], code: 2, err: /^unknown command "fly"; run `dojo --help`/ },
  { name: 'lab without a subcommand', args: ['lab'], code: 2, err: /^"dojo lab" needs a subcommand; run/ },
  {
    name: 'scenario without a subcommand',
    args: ['scenario'],
    code: 2,
    err: /^"dojo scenario" needs a subcommand/,
  },
  { name: 'unknown lab subcommand', args: ['lab', 'fly'], code: 2, err: /^unknown command "lab fly"; run/ },
  {
    name: 'unknown top-level option',
    args: ['--bogus'],
    code: 2,
    err: /^unknown option --bogus; run `dojo --help`/,
  },
  {
    name: 'unknown option of a command',
    args: ['lab', 'status', '--bogus'],
    code: 2,
    err: /^unknown option --bogus;/,
  },
  {
    name: 'an option another command takes',
    args: ['lab', 'status', '--scenario', 'x'],
    code: 2,
    err: /^dojo lab status does not take --scenario;/,
  },
  { name: 'a stray word', args: ['lab', 'down', 'now'], code: 2, err: /^dojo lab down does not take "now";/ },
  {
    name: '--rps not a number',
    args: ['lab', 'up', '--rps', 'fast'],
    code: 2,
    err: /^--rps must be a number from 0\.1 to 200, got "fast"$/,
  },
  {
    name: '--rps zero',
    args: ['lab', 'up', '--rps', '0'],
    code: 2,
    err: /^--rps must be a number from 0\.1 to 200, got "0"$/,
  },
  { name: '--rps too high', args: ['lab', 'up', '--rps', '1000'], code: 2, err: /got "1000"$/ },
  { name: '--rps without a value', args: ['lab', 'up', '--rps'], code: 2, err: /^--rps needs a value; run/ },
  {
    name: '--mode unknown',
    args: ['lab', 'up', '--mode', 'swarm'],
    code: 2,
    err: /^--mode must be kind or local, got "swarm"$/,
  },
  {
    // Only node on PATH: no docker, no kind, whatever the machine has. Nothing is printed as started.
    name: '--mode kind without Docker and kind',
    args: ['lab', 'up', '--mode', 'kind'],
    env: { PATH: dirname(process.execPath) },
    code: 2,
    err: /^the kind path needs a running Docker engine and `kind` on PATH$/,
    out: /^$/,
  },
  {
    name: 'unknown scenario for lab up',
    args: ['lab', 'up', '--scenario', 'slowquery'],
    code: 2,
    err: /^unknown scenario "slowquery"; choose one of: healthy, /,
  },
  {
    name: '--scenario without a value',
    args: ['lab', 'up', '--scenario'],
    code: 2,
    err: /^--scenario needs a value;/,
  },
  {
    name: 'a value for a switch',
    args: ['scenario', 'list', '--json=yes'],
    code: 2,
    err: /^--json takes no value;/,
  },
  {
    name: 'scenario set without an id',
    args: ['scenario', 'set'],
    code: 2,
    err: /^which scenario\? usage: dojo scenario set <id> \(see `dojo scenario list`\)$/,
  },
  {
    name: 'scenario set unknown id',
    args: ['scenario', 'set', 'nope'],
    code: 2,
    err: /^unknown scenario "nope"; choose one of:/,
  },
  {
    name: 'scenario set two ids',
    args: ['scenario', 'set', 'slow-query', 'n-plus-one'],
    code: 2,
    err: /^dojo scenario set does not take "n-plus-one";/,
  },

  // No lab running
  { name: 'lab status, no lab', args: ['lab', 'status'], code: 2, err: notRunning },
  {
    name: 'lab down, no lab (stopped twice)',
    args: ['lab', 'down'],
    code: 0,
    out: /no local lab is running/,
  },
  { name: 'scenario set, no lab', args: ['scenario', 'set', 'slow-query'], code: 2, err: notRunning },
  { name: 'scenario reset, no lab', args: ['scenario', 'reset'], code: 2, err: notRunning },
  {
    name: '--external-tempo without URLs',
    args: ['lab', 'up', '--external-tempo'],
    code: 2,
    err: /^--external-tempo needs TEMPO_URL and OTEL_EXPORTER_OTLP_ENDPOINT/,
  },
  {
    name: '--external-tempo with an ftp TEMPO_URL',
    args: ['lab', 'up', '--external-tempo', '--no-load'],
    env: { TEMPO_URL: 'ftp://tempo.example', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    code: 2,
    err: mustBeHttp('TEMPO_URL', 'ftp://tempo.example'),
  },
  {
    name: '--external-tempo with an OTLP endpoint without scheme',
    args: ['lab', 'up', '--external-tempo', '--no-load'],
    env: { TEMPO_URL: 'http://127.0.0.1:3200', OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' },
    code: 2,
    err: mustBeHttp('OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318'),
  },
  {
    name: 'a lab port taken',
    args: ['lab', 'up', '--no-load'],
    blockPort: 'web',
    code: 2,
    err: /^port \d+ \(web\) is already in use; free it \(see `lsof -i :\d+`\) or stop the other lab/,
  },
  {
    name: 'DOJO_PORT_OFFSET not a number',
    args: ['lab', 'status'],
    env: { DOJO_PORT_OFFSET: 'abc' },
    code: 2,
    err: /^DOJO_PORT_OFFSET must be a whole number from 0 to 50000, got "abc"; fix it or unset it$/,
  },
  {
    name: 'DOJO_PORT_OFFSET negative',
    args: ['scenario', 'list'],
    env: { DOJO_PORT_OFFSET: '-100' },
    code: 2,
    err: /got "-100"/,
  },
  {
    name: 'DOJO_PORT_OFFSET too large',
    args: ['query', '{ }'],
    env: { DOJO_PORT_OFFSET: '99999' },
    code: 2,
    err: /got "99999"/,
  },

  // query and trace
  { name: 'query without a query', args: ['query'], code: 2, err: /^which query\? usage: dojo query/ },
  { name: 'query with an incomplete condition', args: ['query', '{ .a = }'], code: 2, err: invalidTraceql },
  {
    name: 'query with an unclosed brace',
    args: ['query', '{ resource.service.name = "api"'],
    code: 2,
    err: invalidTraceql,
  },
  { name: 'query in SQL', args: ['query', 'select * from spans'], code: 2, err: invalidTraceql },
  {
    name: 'query with an unclosed string',
    args: ['query', '{ span.http.route = "/checkout }'],
    code: 2,
    err: invalidTraceql,
  },
  {
    name: '--limit zero',
    args: ['query', '{ }', '--limit', '0'],
    code: 2,
    err: /^--limit must be a whole number from 1 to 1000, got "0"$/,
  },
  { name: '--limit not a number', args: ['query', '{ }', '--limit', 'lots'], code: 2, err: /got "lots"$/ },
  {
    name: '--since in words',
    args: ['query', '{ }', '--since', 'yesterday'],
    code: 2,
    err: /^--since must look like 30s, 15m, 2h or 1d, got "yesterday"$/,
  },
  {
    name: 'query with an unknown option',
    args: ['query', '{ }', '--bogus'],
    code: 2,
    err: /^unknown option --bogus; usage: dojo query/,
  },
  {
    name: 'trace without an id',
    args: ['trace'],
    code: 2,
    err: /^which trace\? usage: dojo trace <trace-id>/,
  },
  {
    name: 'trace id not hex',
    args: ['trace', 'xyz'],
    code: 2,
    err: /^"xyz" is not a trace id \(1 to 32 hexadecimal digits\)$/,
  },
  { name: 'trace id too long', args: ['trace', 'a'.repeat(33)], code: 2, err: /is not a trace id/ },
  { name: 'two trace ids', args: ['trace', 'abc', 'def'], code: 2, err: /^one trace id at a time; usage:/ },

  // TEMPO_URL: malformed, unreachable, and servers that are not Tempo
  {
    name: 'TEMPO_URL ftp',
    args: ['query', '{ }'],
    env: { TEMPO_URL: 'ftp://example.com' },
    code: 2,
    err: mustBeHttp('TEMPO_URL', 'ftp://example.com'),
  },
  {
    name: 'TEMPO_URL without scheme',
    args: ['query', '{ }'],
    env: { TEMPO_URL: 'localhost:3200' },
    code: 2,
    err: mustBeHttp('TEMPO_URL', 'localhost:3200'),
  },
  {
    name: 'TEMPO_URL without host',
    args: ['trace', 'abc'],
    env: { TEMPO_URL: 'http://' },
    code: 2,
    err: mustBeHttp('TEMPO_URL', 'http://'),
  },
  {
    name: 'TEMPO_URL not a URL',
    args: ['query', '{ }'],
    env: { TEMPO_URL: 'my tempo' },
    code: 2,
    err: mustBeHttp('TEMPO_URL', 'my tempo'),
  },
  { name: 'Tempo not running', args: ['query', '{ }'], code: 2, err: unreachable },
  {
    name: 'TEMPO_URL nobody listens on',
    args: ['trace', 'abc'],
    server: 'unreachable',
    code: 2,
    err: /^Tempo at http:\/\/127\.0\.0\.1:\d+ is unreachable \(TEMPO_URL\)/,
  },
  {
    name: 'TEMPO_URL a web page (query)',
    args: ['query', '{ }'],
    server: 'html200',
    code: 2,
    err: notTempo('text/html'),
  },
  {
    name: 'TEMPO_URL a web page (trace)',
    args: ['trace', traceId],
    server: 'html200',
    code: 2,
    err: notTempo('text/html'),
  },
  {
    name: 'TEMPO_URL an HTML 404 site (query)',
    args: ['query', '{ }'],
    server: 'html404',
    code: 2,
    err: /^http:\/\/127\.0\.0\.1:\d+\/api\/search answered HTTP 404 Not Found: TEMPO_URL must be Tempo's HTTP API/,
  },
  {
    name: 'TEMPO_URL an HTML 404 site (trace)',
    args: ['trace', traceId],
    server: 'html404',
    code: 2,
    err: new RegExp(`/api/traces/${traceId} answered HTTP 404 Not Found: TEMPO_URL must be`),
  },
  {
    name: 'TEMPO_URL a plain-text server',
    args: ['query', '{ }'],
    server: 'text200',
    code: 2,
    err: notTempo('text/plain that is not JSON'),
  },
  {
    name: 'TEMPO_URL JSON that is not Tempo',
    args: ['query', '{ }'],
    server: 'wrongJson',
    code: 2,
    err: notTempo('JSON without a list of traces'),
  },
  {
    name: 'Tempo failing with 500',
    args: ['query', '{ }'],
    server: 'err500',
    code: 2,
    err: /^Tempo at http:\/\/127\.0\.0\.1:\d+ failed \(HTTP 500 Internal Server Error: boom\); check its log/,
  },
  {
    name: 'Tempo rejecting the query',
    args: ['query', '{ }'],
    server: 'reject400',
    code: 2,
    err: /^Tempo rejected the query: invalid TraceQL query: parse error at line 1, col 3$/,
  },
  {
    name: 'a server resetting connections',
    args: ['query', '{ }'],
    server: 'reset',
    code: 2,
    err: /is unreachable \(TEMPO_URL\)/,
  },
  {
    name: 'a trace Tempo does not have',
    args: ['trace', traceId],
    server: 'missingTrace',
    code: 2,
    err: /^trace 0af76519\w+ is not in Tempo/,
  },
  {
    name: 'control characters in trace data',
    args: ['query', '{ }'],
    server: 'controlChars',
    code: 0,
    out: /web\\x1b\[2J\\x07/,
  },
];
