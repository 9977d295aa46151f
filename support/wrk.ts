/**
 * Load from `wrk` (Debian's package): a Lua script that cycles through a
 * fixed list of requests and counts response statuses, parsed into numbers.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SYSTEM_PACKAGES, ensureSystemPackages } from './system-packages.ts';

const run = promisify(execFile);

export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Socket-level errors by kind: connect, read, write, timeout. */
  socketErrors: Record<'connect' | 'read' | 'write' | 'timeout', number>;
  statuses: Record<string, number>;
}

/** The wrk binary, installed with apt-get when missing and possible (`system-packages.ts`). */
export function ensureWrk(): string {
  ensureSystemPackages({ packages: SYSTEM_PACKAGES.filter((p) => p.name === 'wrk') });
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
}

const lua = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function script(requests: LoadRequest[]): string {
  const list = requests.map((r) => {
    const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `[${lua(k)}]=${lua(v)}`).join(',');
    return `wrk.format(${lua(r.method ?? 'GET')}, ${lua(r.path)}, {${headers}})`;
  });
  return `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  counts = {}
  reqs = { ${list.join(',\n    ')} }
  i = 0
end
function request()
  i = i % #reqs + 1
  return reqs[i]
end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do totals[k] = (totals[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(totals) do table.insert(parts, string.format('"%d":%d', k, v)) end
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
`;
}

/**
 * Runs wrk against `baseUrl` with the requests cycled in order on every
 * connection. With `cpu`, wrk is pinned to that core (see {@link pinWorkerd}),
 * so load generator and worker do not fight over the same one.
 */
export async function runWrk(
  baseUrl: string,
  requests: LoadRequest[],
  { seconds = 10, connections = 64, threads = 2, cpu }: { seconds?: number; connections?: number; threads?: number; cpu?: number } = {},
): Promise<WrkResult> {
  const wrk = ensureWrk();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-wrk-'));
  try {
    const file = path.join(dir, 'load.lua');
    await writeFile(file, script(requests));
    const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', file, baseUrl];
    const { stdout } = cpu === undefined
      ? await run(wrk, args, { maxBuffer: 16 * 1024 * 1024 })
      : await run('taskset', ['-c', String(cpu), wrk, ...args], { maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const r = JSON.parse(line.slice('RESULT '.length));
    return {
      requests: r.requests,
      seconds: r.us / 1e6,
      rps: r.requests / (r.us / 1e6),
      p50_ms: r.p50 / 1000,
      p99_ms: r.p99 / 1000,
      socketErrors: r.errors,
      statuses: r.statuses,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Pins this process's workerd children to one core and returns the core wrk
 * should use, or undefined when the machine has one core or no `taskset`.
 */
export function pinWorkerd(): number | undefined {
  const cores = os.cpus().length;
  if (cores < 2 || !spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).stdout.trim()) return undefined;
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' }).stdout;
  for (const line of ps.split('\n')) {
    const [pid, ppid, comm] = line.trim().split(/\s+/);
    if (Number(ppid) === process.pid && comm === 'workerd') spawnSync('taskset', ['-a', '-p', '-c', '0', pid!]);
  }
  return cores - 1;
}
