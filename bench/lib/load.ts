import autocannon from 'autocannon';
import { percentile } from './figures';

export interface LoadResult {
  /** Successful requests (2xx) per second. */
  throughput: number;
  p50: number;
  p99: number;
  /** Requests that failed: non-2xx answers, connection errors, timeouts. */
  failures: number;
  total: number;
  /** Status codes and counts of what failed, for the log. */
  failureDetail: string;
}

export interface HttpLoad {
  url: string;
  connections: number;
  seconds: number;
  /** Builds each request; called once per request sent. */
  request: () => { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
}

/**
 * Closed-loop load with autocannon: `connections` clients, each sending its next request as soon as
 * the previous answer arrives. Latency is per request as autocannon measures it (ms).
 */
export async function httpLoad(load: HttpLoad): Promise<LoadResult> {
  return summarize(await autocannon(autocannonOptions(load)));
}

/** One answer of a timed load: when it arrived (`performance.now()`, ms) and its status (0: none — a connection error or a timeout). */
export interface TimedAnswer {
  at: number;
  status: number;
  /** The body of an answer other than 2xx (what failed, in the server's words). */
  body?: string;
}

export interface TimedLoadResult extends LoadResult {
  /** `performance.now()` when the load started and ended. */
  startedAt: number;
  endedAt: number;
  /** Every answer and every failed request, in the order they arrived. */
  answers: TimedAnswer[];
}

/**
 * `httpLoad` that also records when each answer arrived: for gaps in service while something is
 * taken away under load (a database node killed), which the percentiles of a whole run hide.
 */
export async function httpLoadTimed(load: HttpLoad): Promise<TimedLoadResult> {
  const answers: TimedAnswer[] = [];
  const startedAt = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const onResponse = (status: number, body: string) =>
      answers.push(status >= 200 && status < 300 ? { at: performance.now(), status } : { at: performance.now(), status, body });
    const instance = autocannon(autocannonOptions(load, onResponse), (error: unknown, done: autocannon.Result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    instance.on('reqError', () => answers.push({ at: performance.now(), status: 0 }));
  });
  return { ...summarize(result), startedAt, endedAt: performance.now(), answers };
}

function autocannonOptions(load: HttpLoad, onResponse?: (status: number, body: string) => void): autocannon.Options {
  return {
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => Object.assign(request, load.request()),
        ...(onResponse ? { onResponse } : {}),
      },
    ],
  } as unknown as autocannon.Options;
}

function summarize(result: autocannon.Result): LoadResult {
  const ok = result['2xx'];
  const codes = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, stat]) => `${code}×${(stat as { count: number }).count}`);
  if (result.errors) codes.push(`errors×${result.errors}`);
  if (result.timeouts) codes.push(`timeouts×${result.timeouts}`);
  return {
    throughput: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors,
    total: ok + result.non2xx,
    failureDetail: codes.join(', '),
  };
}

/**
 * The bare baseline: `concurrency` workers, each running `operation` back to back for `seconds`,
 * timing every call. The same closed loop as autocannon, without HTTP or the product in between.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: (worker: number, i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await operation(worker, i);
          latencies.push(performance.now() - t0);
        } catch {
          failures++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    throughput: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    total: latencies.length + failures,
    failureDetail: failures ? `errors×${failures}` : '',
  };
}
