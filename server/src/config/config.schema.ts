import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting the server reads, validated once at boot. Nothing else reads `process.env`.
 * The README's configuration table is written from this file; keep them together.
 */
const booleanFlag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

const DEMO_APP_ID = 'wxbaoxuedemo0000001';
const DEMO_APP_SECRET = 'demo-secret-not-for-production';

/** An empty variable (`PORT=`) means "not set", not zero. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const positiveInt = (fallback: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallback));

/**
 * Express's `trust proxy`: a hop count or the trusted proxies' addresses (CIDRs, or Express's names
 * `loopback`, `linklocal`, `uniquelocal`). `false` trusts none. `true` trusts every hop, so a client's own
 * X-Forwarded-For entry would become its address (and reset its sign-in limit): refused.
 */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(value: string, ctx: z.core.$RefinementCtx<string>): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '0') return false;
  if (text === 'true') {
    ctx.addIssue({
      code: 'custom',
      message:
        "true would trust any client's X-Forwarded-For (a client could choose its own address and escape the sign-in limits); give the number of proxies in front of the server (1 behind one nginx) or their addresses, e.g. 127.0.0.1,10.0.0.0/8",
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const wrong = entries.filter((e) => !isProxyAddress(e));
  if (entries.length === 0 || wrong.length) {
    ctx.addIssue({
      code: 'custom',
      message: `must be false, a number of proxies, or proxy addresses/CIDRs separated by commas (not ${wrong.join(', ') || 'empty'})`,
    });
    return z.NEVER;
  }
  return entries;
}

/** Noto Sans SC, installed with the server's npm dependencies: printing needs no system font. */
const BUNDLED_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
/** The face printed from a collection (.ttc) when PDF_FONT_NAME is not set. */
const DEFAULT_COLLECTION_FACE = 'NotoSansCJKsc-Regular';

function bundledFontPath(): string {
  try {
    return require.resolve(BUNDLED_FONT);
  } catch {
    // not installed: the notice service answers 503 (no font) rather than the server refusing to start
    return BUNDLED_FONT;
  }
}

export const envSchema = z.object({
  /** production: real WeChat, no demo sign-in. demo: `npm start`, demo county and in-process fake WeChat. test: tests. */
  APP_MODE: z.enum(['production', 'demo', 'test']).default('demo'),
  PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.string().default('0.0.0.0'),
  /**
   * Behind reverse proxies: how many sit in front (`1` behind nginx) or their addresses (`127.0.0.1,10.0.0.0/8`),
   * so the client address the rate limits count is the one the nearest trusted proxy saw. `true` is refused.
   */
  TRUST_PROXY: z.preprocess(unsetIfEmpty, z.string().default('false')).transform(parseTrustProxy),
  /** Redis shared by every instance (`redis://host:6379/0`): rate limits count there. Required in cluster mode. */
  REDIS_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  /** Prefix of this deployment's keys in Redis (several deployments may share one). */
  REDIS_KEY_PREFIX: z.preprocess(unsetIfEmpty, z.string().default('baoxue:')),
  /** Origins allowed to call the API from a browser, comma-separated; `*` for any. The H5 app served at `/` needs none. */
  CORS_ORIGINS: z.string().default(''),
  /** `sqlite:./data/baoxue.sqlite` (default) or `mysql://user:password@host:3306/database`. */
  DATABASE_URL: z.string().default('sqlite:./data/baoxue.sqlite'),
  DATABASE_POOL_SIZE: positiveInt(10),
  /**
   * `single`: one process (embedded SQLite or one server) migrates and seeds at start. `cluster`: several
   * instances share the database; `cli migrate` is a deploy step and an instance refuses a schema that is behind.
   */
  DEPLOYMENT: z.enum(['single', 'cluster'], { error: 'must be single or cluster' }).default('single'),
  /** Each MySQL session waits for the Galera node to catch up before reading (`wsrep_sync_wait`); default: on in cluster mode. */
  DB_WSREP_SYNC_WAIT: booleanFlag.optional(),
  /** Load the demo county (光山县), schools and one account per role when the database is empty. */
  SEED_DEMO: booleanFlag.optional(),
  /** Directory of the built H5 app served at `/`; empty to serve the API only. */
  H5_DIR: z.string().default('miniapp/dist/h5'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: positiveInt(24 * 7),
  /** Sign-in attempts allowed per client address per minute. */
  LOGIN_RATE_PER_MINUTE: positiveInt(30),
  /** Wrong invitation codes a user may try per hour before being locked out for the rest of it. */
  INVITATION_ATTEMPTS_PER_HOUR: positiveInt(10),
  /** Base URL of the WeChat API. Unset outside production: a local fake is started in-process. */
  WECHAT_API_BASE: z.url().optional(),
  WECHAT_APP_ID: z.string().default(DEMO_APP_ID),
  WECHAT_APP_SECRET: z.string().default(DEMO_APP_SECRET),
  WECHAT_TIMEOUT_MS: positiveInt(5000),
  PRIVACY_POLICY_VERSION: z.string().default('2026-11'),
  /** Where uploaded files (evidence photos) are kept; never served directly. */
  UPLOAD_DIR: z.string().default('./data/uploads'),
  /** Signs the short-lived links to uploaded files; required in production (32+ characters). */
  FILE_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where uploaded files are kept: `local` (UPLOAD_DIR, one instance) or `s3` (a bucket every instance shares); default `s3` when S3_BUCKET is set. */
  FILE_STORE: z.preprocess(unsetIfEmpty, z.enum(['local', 's3'], { error: 'must be local or s3' }).optional()),
  /** The S3-compatible object store (the government cloud's OSS/COS/OBS, MinIO): its endpoint (unset: AWS), bucket, region, keys. */
  S3_ENDPOINT: z.preprocess(unsetIfEmpty, z.url().optional()),
  S3_BUCKET: z.preprocess(unsetIfEmpty, z.string().optional()),
  S3_REGION: z.preprocess(unsetIfEmpty, z.string().default('us-east-1')),
  S3_ACCESS_KEY_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Address the bucket as `endpoint/bucket` (MinIO, s3rver) rather than `bucket.endpoint`. */
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  /** How often the notification worker looks for messages to send, in ms; 0 turns it off (tests drive it). */
  OUTBOX_POLL_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).optional()),
  /** The first retry of a failed WeChat send waits this long (then doubles, up to an hour). */
  OUTBOX_RETRY_MS: positiveInt(30_000),
  /** A worker holds a message this long; a crashed worker's messages are taken over afterwards. */
  OUTBOX_LEASE_MS: positiveInt(60_000),
  /** How often an instance looks for background jobs to run (imports, cross-checks, daily rules), in ms; 0 turns it off (tests drive jobs). */
  JOBS_POLL_MS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).optional()),
  /** An instance holds a running job this long and renews it every third of it; a silent holder's job is taken over afterwards. */
  JOBS_LEASE_MS: positiveInt(30_000),
  /** Background jobs one instance runs at the same time. */
  JOBS_CONCURRENCY: positiveInt(2),
  /** Subscribe-message template ids assigned to this mini program in the WeChat admin console. */
  WECHAT_TEMPLATE_NEW_CASE: z.string().default('demo-template-new-case'),
  WECHAT_TEMPLATE_TIP_PROGRESS: z.string().default('demo-template-tip-progress'),
  WECHAT_TEMPLATE_SUBSIDY_PAID: z.string().default('demo-template-subsidy-paid'),
  WECHAT_TEMPLATE_LEAVE_DECIDED: z.string().default('demo-template-leave-decided'),
  /** Wrong binding codes (or names) a user may enter within the lockout window before binding is locked for them. */
  BINDING_MAX_FAILURES: positiveInt(5),
  BINDING_LOCKOUT_MINUTES: positiveInt(30),
  /** The Chinese font embedded in printed notices (a .ttf, .otf or .ttc; default: the one installed with the server), and its PostScript name inside a collection. */
  PDF_FONT_PATH: z.preprocess(unsetIfEmpty, z.string().optional()),
  PDF_FONT_NAME: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Check every response against the shared contract (on in tests; costs time in production). */
  VALIDATE_RESPONSES: booleanFlag.optional(),
});

type Env = z.output<typeof envSchema>;

/**
 * Settings that moved into the app: each county sets its own in 时限与规则 (`served_counties.settings`).
 * A deployment still setting one is told so, rather than have the value silently ignored.
 */
const MOVED_TO_COUNTY_SETTINGS: Record<string, string> = {
  COMPLAINT_ANSWER_DAYS: '资助投诉答复时限',
};

function movedSettings(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(MOVED_TO_COUNTY_SETTINGS)
    .filter(([name]) => env[name] !== undefined && env[name] !== '')
    .map(([name, label]) => `${name}: now set per county in the app (county admin: 时限与规则 → ${label}); remove it from the environment`);
}

/** In cluster mode the schema and the demo are deploy steps, never the work of an instance starting. */
function clusterProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.DEPLOYMENT !== 'cluster') return [];
  const problems: string[] = [];
  if (env.SEED_DEMO === 'true' || env.SEED_DEMO === '1') {
    problems.push('SEED_DEMO: in cluster mode instances never seed at start; run `node server/dist/cli.js seed-demo` once instead');
  }
  if (!env.DATABASE_URL || env.DATABASE_URL.startsWith('sqlite:')) {
    problems.push('DATABASE_URL: cluster mode needs a shared MySQL/MariaDB database (mysql://…), not the embedded SQLite file');
  }
  return problems;
}

/** Rules for production, checked on the raw variables so they are reported with any other problem. */
function productionProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.APP_MODE !== 'production') return [];
  const problems: string[] = [];
  if (!env.WECHAT_API_BASE) problems.push('WECHAT_API_BASE: required in production');
  if (!env.WECHAT_APP_ID || !env.WECHAT_APP_SECRET || env.WECHAT_APP_SECRET === DEMO_APP_SECRET || env.WECHAT_APP_ID === DEMO_APP_ID) {
    problems.push('WECHAT_APP_ID, WECHAT_APP_SECRET: set the real AppID and AppSecret in production');
  }
  if (env.SEED_DEMO === 'true' || env.SEED_DEMO === '1') problems.push('SEED_DEMO: demo data is never loaded in production');
  if (!env.FILE_URL_SECRET) problems.push('FILE_URL_SECRET: required in production (32+ random characters)');
  if (
    !env.WECHAT_TEMPLATE_NEW_CASE ||
    !env.WECHAT_TEMPLATE_TIP_PROGRESS ||
    !env.WECHAT_TEMPLATE_SUBSIDY_PAID ||
    !env.WECHAT_TEMPLATE_LEAVE_DECIDED
  ) {
    problems.push(
      'WECHAT_TEMPLATE_NEW_CASE, WECHAT_TEMPLATE_TIP_PROGRESS, WECHAT_TEMPLATE_SUBSIDY_PAID, WECHAT_TEMPLATE_LEAVE_DECIDED: the subscribe-message template ids are required in production',
    );
  }
  return problems;
}

/** Where files go, and what a cluster needs of it: one store every instance reads, links every instance verifies. */
function fileStoreProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const bucket = unsetIfEmpty(env.S3_BUCKET);
  const store = unsetIfEmpty(env.FILE_STORE) ?? (bucket ? 's3' : 'local');
  if (store === 's3' && !bucket) problems.push('S3_BUCKET: required when FILE_STORE=s3');
  if (env.FILE_STORE === 'local' && bucket)
    problems.push('FILE_STORE: local, yet S3_BUCKET is set; choose one store (FILE_STORE=s3, or remove the S3_ settings)');
  if (!unsetIfEmpty(env.S3_ACCESS_KEY_ID) !== !unsetIfEmpty(env.S3_SECRET_ACCESS_KEY)) {
    problems.push(
      "S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither (then the S3 client's default credentials: AWS_* variables, the instance role)",
    );
  }
  if (env.DEPLOYMENT === 'cluster') {
    if (store === 'local') {
      problems.push(
        'FILE_STORE: a cluster keeps files in an S3-compatible store (FILE_STORE=s3, S3_BUCKET, …): a local disk is seen by one instance only',
      );
    }
    if (!env.FILE_URL_SECRET)
      problems.push('FILE_URL_SECRET: required in cluster mode, so that every instance accepts the links the others sign');
  }
  return problems;
}

/** What `.env.example` writes where each deployment must put its own value. */
export const EXAMPLE_PLACEHOLDER = 'change-me';

/** A value copied from `.env.example` and never filled in (a secret everyone can read) is refused in production. */
function placeholderValues(env: NodeJS.ProcessEnv): string[] {
  if (env.APP_MODE !== 'production') return [];
  return Object.keys(envSchema.shape)
    .filter((name) => env[name]?.toLowerCase().includes(EXAMPLE_PLACEHOLDER))
    .map((name) => `${name}: still the placeholder of .env.example; set this deployment's own value`);
}

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string; poolSize: number }
  /** wsrepSyncWait: every pooled session sets `wsrep_sync_wait = 1` (Galera: a read sees every write committed on any node). */
  | { kind: 'mysql'; url: string; poolSize: number; wsrepSyncWait?: boolean };

/** Where uploaded files are kept: the local folder (one instance) or an S3-compatible bucket (every instance). */
export type FileStoreConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      /** null: the AWS endpoint of the region. */
      endpoint: string | null;
      bucket: string;
      region: string;
      /** null: the S3 client's default credential chain. */
      credentials: { accessKeyId: string; secretAccessKey: string } | null;
      forcePathStyle: boolean;
    };

export interface AppConfig {
  mode: 'production' | 'demo' | 'test';
  http: { port: number; host: string; h5Dir: string | null; trustProxy: TrustProxy; corsOrigins: string[] };
  database: DatabaseConfig;
  /** single: this process migrates (and seeds) at start; cluster: `cli migrate` does, instances only check. */
  deployment: 'single' | 'cluster';
  seedDemo: boolean;
  log: { level: string };
  auth: {
    sessionTtlHours: number;
    loginRatePerMinute: number;
    invitationAttemptsPerHour: number;
    /** Demo sign-in: only outside production. */
    devLogin: boolean;
    privacyPolicyVersion: string;
  };
  wechat: {
    apiBase: string | null;
    appId: string;
    appSecret: string;
    timeoutMs: number;
    templates: { new_case: string; tip_progress: string; subsidy_paid: string; leave_decided: string };
  };
  parents: { bindingMaxFailures: number; bindingLockoutMinutes: number };
  /** fontName: the face to print from a collection; null for a single-face font. */
  pdf: { fontPath: string; fontName: string | null };
  /** store: where the files are (UploadsModule's FileStore); dir is the local store's folder, also used by backups. */
  uploads: { dir: string; urlSecret: string; store: FileStoreConfig };
  outbox: { pollMs: number; retryMs: number; leaseMs: number };
  /** Background jobs (JobRunner): pollMs 0 runs only the jobs this instance starts itself (tests). */
  jobs: { pollMs: number; leaseMs: number; concurrency: number };
  /** Redis shared by every instance (rate limits); null: counted in this process, single mode only. */
  redis: { url: string | null; keyPrefix: string };
  validateResponses: boolean;
}

export class ConfigError extends Error {}

function parseDatabaseUrl(url: string, poolSize: number, wsrepSyncWait: boolean): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError('DATABASE_URL: sqlite needs a file path, e.g. sqlite:./data/baoxue.sqlite');
    return { kind: 'sqlite', file, poolSize };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    return { kind: 'mysql', url: url.replace(/^mariadb:/, 'mysql:'), poolSize, wsrepSyncWait };
  }
  throw new ConfigError('DATABASE_URL must start with sqlite: or mysql://');
}

function pdfFont(path: string | undefined, name: string | undefined): AppConfig['pdf'] {
  const fontPath = path ?? bundledFontPath();
  // a collection holds several faces and needs one named; a single font is taken as it is
  const fontName = name ?? (/\.(ttc|otc)$/i.test(fontPath) ? DEFAULT_COLLECTION_FACE : null);
  return { fontPath, fontName };
}

function fileStore(e: Env): FileStoreConfig {
  if ((e.FILE_STORE ?? (e.S3_BUCKET ? 's3' : 'local')) === 'local') return { kind: 'local' };
  return {
    kind: 's3',
    endpoint: e.S3_ENDPOINT ?? null,
    bucket: e.S3_BUCKET!,
    region: e.S3_REGION,
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : null,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
}

/** Several instances must count every limit in one place: in memory, each would allow the whole limit again. */
function sharedStateProblems(env: NodeJS.ProcessEnv): string[] {
  if (env.DEPLOYMENT !== 'cluster' || env.REDIS_URL) return [];
  return ['REDIS_URL: required with DEPLOYMENT=cluster (sign-in and invitation limits are counted in Redis for every instance)'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...productionProblems(env),
    ...clusterProblems(env),
    ...movedSettings(env),
    ...placeholderValues(env),
    ...fileStoreProblems(env),
    ...sharedStateProblems(env),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const e: Env = parsed.data;
  return {
    mode: e.APP_MODE,
    http: {
      port: e.PORT,
      host: e.HOST,
      h5Dir: e.H5_DIR || null,
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    database: parseDatabaseUrl(e.DATABASE_URL, e.DATABASE_POOL_SIZE, e.DB_WSREP_SYNC_WAIT ?? e.DEPLOYMENT === 'cluster'),
    deployment: e.DEPLOYMENT,
    // an instance of a cluster never seeds at start (`cli seed-demo` does, once)
    seedDemo: e.SEED_DEMO ?? (e.APP_MODE === 'demo' && e.DEPLOYMENT === 'single'),
    log: { level: e.LOG_LEVEL },
    auth: {
      sessionTtlHours: e.SESSION_TTL_HOURS,
      loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
      invitationAttemptsPerHour: e.INVITATION_ATTEMPTS_PER_HOUR,
      devLogin: e.APP_MODE !== 'production',
      privacyPolicyVersion: e.PRIVACY_POLICY_VERSION,
    },
    wechat: {
      apiBase: e.WECHAT_API_BASE ?? null,
      appId: e.WECHAT_APP_ID,
      appSecret: e.WECHAT_APP_SECRET,
      timeoutMs: e.WECHAT_TIMEOUT_MS,
      templates: {
        new_case: e.WECHAT_TEMPLATE_NEW_CASE,
        tip_progress: e.WECHAT_TEMPLATE_TIP_PROGRESS,
        subsidy_paid: e.WECHAT_TEMPLATE_SUBSIDY_PAID,
        leave_decided: e.WECHAT_TEMPLATE_LEAVE_DECIDED,
      },
    },
    parents: {
      bindingMaxFailures: e.BINDING_MAX_FAILURES,
      bindingLockoutMinutes: e.BINDING_LOCKOUT_MINUTES,
    },
    pdf: pdfFont(e.PDF_FONT_PATH, e.PDF_FONT_NAME),
    // Outside production a per-process secret is fine: links only need to outlive a page view.
    uploads: { dir: e.UPLOAD_DIR, urlSecret: e.FILE_URL_SECRET ?? randomBytes(32).toString('hex'), store: fileStore(e) },
    outbox: { pollMs: e.OUTBOX_POLL_MS ?? (e.APP_MODE === 'test' ? 0 : 2000), retryMs: e.OUTBOX_RETRY_MS, leaseMs: e.OUTBOX_LEASE_MS },
    jobs: { pollMs: e.JOBS_POLL_MS ?? (e.APP_MODE === 'test' ? 0 : 2000), leaseMs: e.JOBS_LEASE_MS, concurrency: e.JOBS_CONCURRENCY },
    redis: { url: e.REDIS_URL ?? null, keyPrefix: e.REDIS_KEY_PREFIX },
    validateResponses: e.VALIDATE_RESPONSES ?? e.APP_MODE === 'test',
  };
}

/** The injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
