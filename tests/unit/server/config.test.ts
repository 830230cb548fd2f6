import { ConfigError, loadConfig } from '../../../server/src/config/config.schema';

/** A production environment that passes every check; each test removes or breaks one thing. */
const PRODUCTION = {
  APP_MODE: 'production',
  WECHAT_API_BASE: 'https://api.weixin.qq.com',
  WECHAT_APP_ID: 'wx8f3c2a1b0d9e7f65',
  WECHAT_APP_SECRET: '4c1f0e9a8b7d6c5e4f3a2b1c0d9e8f7a',
  DATABASE_URL: 'mysql://baoxue:s3cret@10.0.0.5:3306/baoxue',
  FILE_URL_SECRET: 'a-production-secret-of-forty-characters!!',
  WECHAT_TEMPLATE_NEW_CASE: 'tmpl-new-case-0001',
  WECHAT_TEMPLATE_TIP_PROGRESS: 'tmpl-tip-progress-0001',
  WECHAT_TEMPLATE_SUBSIDY_PAID: 'tmpl-subsidy-paid-0001',
  WECHAT_TEMPLATE_LEAVE_DECIDED: 'tmpl-leave-decided-0001',
} as const;

const DEMO_TEMPLATES = {
  new_case: 'demo-template-new-case',
  tip_progress: 'demo-template-tip-progress',
  subsidy_paid: 'demo-template-subsidy-paid',
  leave_decided: 'demo-template-leave-decided',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts the demo on SQLite, port 3000, with everything a newcomer needs', () => {
    expect(loadConfig({})).toEqual({
      mode: 'demo',
      http: { port: 3000, host: '0.0.0.0', h5Dir: 'miniapp/dist/h5', trustProxy: false, corsOrigins: [] },
      database: { kind: 'sqlite', file: './data/baoxue.sqlite', poolSize: 10 },
      deployment: 'single',
      seedDemo: true,
      log: { level: 'info' },
      auth: {
        sessionTtlHours: 168,
        loginRatePerMinute: 30,
        invitationAttemptsPerHour: 10,
        devLogin: true,
        privacyPolicyVersion: '2026-11',
      },
      wechat: {
        apiBase: null,
        appId: 'wxbaoxuedemo0000001',
        appSecret: 'demo-secret-not-for-production',
        timeoutMs: 5000,
        templates: DEMO_TEMPLATES,
      },
      parents: { bindingMaxFailures: 5, bindingLockoutMinutes: 30 },
      pdf: {
        fontPath: expect.stringMatching(/\/node_modules\/@expo-google-fonts\/noto-sans-sc\/400Regular\/NotoSansSC_400Regular\.ttf$/),
        fontName: null,
      },
      uploads: { dir: './data/uploads', urlSecret: expect.stringMatching(/^[0-9a-f]{64}$/), store: { kind: 'local' } },
      outbox: { pollMs: 2000, retryMs: 30_000, leaseMs: 60_000 },
      jobs: { pollMs: 2000, leaseMs: 30_000, concurrency: 2 },
      redis: { url: null, keyPrefix: 'baoxue:' },
      validateResponses: false,
    });
  });

  it('keeps uploads private with a per-process secret outside production, and drives the outbox by hand in tests', () => {
    expect(loadConfig({}).uploads.urlSecret).not.toBe(loadConfig({}).uploads.urlSecret);
    expect(loadConfig({ APP_MODE: 'test' }).outbox.pollMs).toBe(0);
    expect(loadConfig({ OUTBOX_POLL_MS: '500' }).outbox.pollMs).toBe(500);
    expect(loadConfig({ APP_MODE: 'test' }).jobs.pollMs).toBe(0);
    expect(loadConfig({ JOBS_POLL_MS: '250', JOBS_LEASE_MS: '3000' }).jobs).toEqual({ pollMs: 250, leaseMs: 3000, concurrency: 2 });
    expect(configError({ FILE_URL_SECRET: 'short' }).message).toContain('FILE_URL_SECRET: must be at least 32 characters');
  });

  it('prints with the font installed by npm unless PDF_FONT_PATH names another; a collection needs a face', () => {
    expect(loadConfig({ PDF_FONT_PATH: '/srv/fonts/SourceHanSansSC-Regular.otf' }).pdf).toEqual({
      fontPath: '/srv/fonts/SourceHanSansSC-Regular.otf',
      fontName: null,
    });
    expect(loadConfig({ PDF_FONT_PATH: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' }).pdf).toEqual({
      fontPath: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      fontName: 'NotoSansCJKsc-Regular',
    });
    expect(loadConfig({ PDF_FONT_PATH: '/fonts/cjk.ttc', PDF_FONT_NAME: 'NotoSerifCJKsc-Regular' }).pdf.fontName).toBe(
      'NotoSerifCJKsc-Regular',
    );
    expect(loadConfig({ PDF_FONT_PATH: '', PDF_FONT_NAME: '' }).pdf).toEqual(loadConfig({}).pdf);
  });

  it('reads only the environment it is given, not process.env', () => {
    // The test setup sets APP_MODE=test in process.env; an explicit empty environment is still the demo.
    expect(process.env.APP_MODE).toBe('test');
    expect(loadConfig({}).mode).toBe('demo');
  });

  it('coerces numbers and flags from their string form', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_POOL_SIZE: '4',
      SESSION_TTL_HOURS: '12',
      LOGIN_RATE_PER_MINUTE: '5',
      INVITATION_ATTEMPTS_PER_HOUR: '3',
      WECHAT_TIMEOUT_MS: '1500',
      TRUST_PROXY: '2',
      H5_DIR: '',
      LOG_LEVEL: 'debug',
    });
    expect(config.http).toMatchObject({ port: 8080, trustProxy: 2, h5Dir: null });
    expect(config.database.poolSize).toBe(4);
    expect(config.auth).toMatchObject({ sessionTtlHours: 12, loginRatePerMinute: 5, invitationAttemptsPerHour: 3 });
    expect(config.wechat.timeoutMs).toBe(1500);
    expect(config.log.level).toBe('debug');
    expect(loadConfig({ PORT: '0' }).http.port).toBe(0);
    // an empty variable is unset, not zero (a random port)
    expect(loadConfig({ PORT: '' }).http.port).toBe(3000);
    expect(loadConfig({ SESSION_TTL_HOURS: '' }).auth.sessionTtlHours).toBe(168);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
  });

  describe('TRUST_PROXY: which proxies may tell the client address (rate limits count per address)', () => {
    it('takes a number of proxies in front, or their addresses and networks', () => {
      expect(loadConfig({}).http.trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: '' }).http.trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: '0' }).http.trustProxy).toBe(false);
      // `1` meant "on" when this was a flag: behind one nginx it still means the right thing
      expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
      expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8 ,loopback' }).http.trustProxy).toEqual([
        '127.0.0.1',
        '10.0.0.0/8',
        'fd00::/8',
        'loopback',
      ]);
    });

    it('refuses true, which would let any client choose its own address, saying what to write instead', () => {
      const message = configError({ TRUST_PROXY: 'true' }).message;
      expect(message).toContain('TRUST_PROXY: true would trust any client');
      expect(message).toContain('1 behind one nginx');
    });
  });

  describe('REDIS_URL: limits shared by every instance', () => {
    it('is optional in single mode (limits count in memory) and names a key prefix', () => {
      expect(loadConfig({}).redis).toEqual({ url: null, keyPrefix: 'baoxue:' });
      expect(loadConfig({ REDIS_URL: 'redis://10.0.0.9:6379/2', REDIS_KEY_PREFIX: 'gs:' }).redis).toEqual({
        url: 'redis://10.0.0.9:6379/2',
        keyPrefix: 'gs:',
      });
    });

    it('is required in cluster mode: each instance counting on its own would multiply every limit', () => {
      const cluster = {
        DEPLOYMENT: 'cluster',
        DATABASE_URL: 'mysql://root@10.0.0.5:3306/baoxue',
        FILE_STORE: 's3',
        S3_BUCKET: 'baoxue',
        FILE_URL_SECRET: 'a-cluster-secret-of-forty-characters!!!!!',
      };
      expect(configError(cluster).message).toBe(
        'Invalid configuration:\n  REDIS_URL: required with DEPLOYMENT=cluster (sign-in and invitation limits are counted in Redis for every instance)',
      );
      expect(loadConfig({ ...cluster, REDIS_URL: 'redis://10.0.0.9:6379' }).redis.url).toBe('redis://10.0.0.9:6379');
    });
  });

  describe('DATABASE_URL', () => {
    it('reads SQLite file paths, relative, absolute and in-memory', () => {
      expect(loadConfig({ DATABASE_URL: 'sqlite:./tmp/x.sqlite' }).database).toEqual({
        kind: 'sqlite',
        file: './tmp/x.sqlite',
        poolSize: 10,
      });
      expect(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/baoxue/db.sqlite' }).database).toEqual({
        kind: 'sqlite',
        file: '/var/lib/baoxue/db.sqlite',
        poolSize: 10,
      });
      expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ kind: 'sqlite', file: ':memory:', poolSize: 10 });
    });

    it('switches to MySQL for mysql:// and mariadb:// URLs', () => {
      expect(loadConfig({ DATABASE_URL: 'mysql://root:@127.0.0.1:3306/baoxue', DATABASE_POOL_SIZE: '20' }).database).toEqual({
        kind: 'mysql',
        url: 'mysql://root:@127.0.0.1:3306/baoxue',
        poolSize: 20,
        wsrepSyncWait: false,
      });
      expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/baoxue' }).database).toEqual({
        kind: 'mysql',
        url: 'mysql://root@127.0.0.1:3306/baoxue',
        poolSize: 10,
        wsrepSyncWait: false,
      });
    });

    it('refuses other schemes and an empty SQLite path, naming the variable', () => {
      for (const url of ['postgres://localhost/baoxue', 'baoxue.sqlite', 'MYSQL://x', '']) {
        expect(configError({ DATABASE_URL: url }).message).toBe('DATABASE_URL must start with sqlite: or mysql://');
      }
      for (const url of ['sqlite:', 'sqlite://']) {
        expect(configError({ DATABASE_URL: url }).message).toBe('DATABASE_URL: sqlite needs a file path, e.g. sqlite:./data/baoxue.sqlite');
      }
    });
  });

  describe('refuses bad values with a ConfigError naming the variable', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['LOG_LEVEL', 'verbose'],
      ['LOG_LEVEL', 'INFO'],
      ['APP_MODE', 'staging'],
      ['TRUST_PROXY', 'yes'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '127.0.0.1,nginx.local'],
      ['REDIS_URL', 'localhost:6379'],
      ['SEED_DEMO', 'on'],
      ['DATABASE_POOL_SIZE', '0'],
      ['SESSION_TTL_HOURS', 'forever'],
      ['WECHAT_TIMEOUT_MS', '-5'],
      ['WECHAT_API_BASE', 'api.weixin.qq.com'],
    ])('%s=%s', (name, value) => {
      const error = configError({ [name]: value });
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(new RegExp(`^Invalid configuration:\\n  ${name}: `));
      expect(error.message.split('\n')).toHaveLength(2);
    });

    it('lists every bad variable at once', () => {
      expect(configError({ PORT: 'abc', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' }).message).toBe(
        [
          'Invalid configuration:',
          '  PORT: Invalid input: expected number, received NaN',
          '  TRUST_PROXY: must be false, a number of proxies, or proxy addresses/CIDRs separated by commas (not maybe)',
          '  LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
        ].join('\n'),
      );
    });
  });

  describe('production', () => {
    it('accepts a complete production environment: no demo sign-in, no demo data, no response checks', () => {
      const config = loadConfig(PRODUCTION);
      expect(config.mode).toBe('production');
      expect(config.auth.devLogin).toBe(false);
      expect(config.seedDemo).toBe(false);
      expect(config.validateResponses).toBe(false);
      expect(config.wechat).toEqual({
        apiBase: 'https://api.weixin.qq.com',
        appId: 'wx8f3c2a1b0d9e7f65',
        appSecret: '4c1f0e9a8b7d6c5e4f3a2b1c0d9e8f7a',
        timeoutMs: 5000,
        templates: {
          new_case: 'tmpl-new-case-0001',
          tip_progress: 'tmpl-tip-progress-0001',
          subsidy_paid: 'tmpl-subsidy-paid-0001',
          leave_decided: 'tmpl-leave-decided-0001',
        },
      });
      expect(config.uploads.urlSecret).toBe(PRODUCTION.FILE_URL_SECRET);
      expect(config.database).toEqual({
        kind: 'mysql',
        url: 'mysql://baoxue:s3cret@10.0.0.5:3306/baoxue',
        poolSize: 10,
        wsrepSyncWait: false,
      });
      expect(loadConfig({ ...PRODUCTION, SEED_DEMO: 'false' }).seedDemo).toBe(false);
    });

    it('requires WECHAT_API_BASE', () => {
      const { WECHAT_API_BASE: _, ...withoutBase } = PRODUCTION;
      expect(configError(withoutBase).message).toBe('Invalid configuration:\n  WECHAT_API_BASE: required in production');
    });

    it('refuses the demo AppID or the demo AppSecret', () => {
      const message = 'Invalid configuration:\n  WECHAT_APP_ID, WECHAT_APP_SECRET: set the real AppID and AppSecret in production';
      const { WECHAT_APP_ID: _id, ...withoutId } = PRODUCTION;
      const { WECHAT_APP_SECRET: _secret, ...withoutSecret } = PRODUCTION;
      expect(configError(withoutId).message).toBe(message);
      expect(configError(withoutSecret).message).toBe(message);
      expect(configError({ ...PRODUCTION, WECHAT_APP_ID: 'wxbaoxuedemo0000001' }).message).toBe(message);
      expect(configError({ ...PRODUCTION, WECHAT_APP_SECRET: 'demo-secret-not-for-production' }).message).toBe(message);
    });

    it('refuses demo data, however the flag is spelled', () => {
      for (const flag of ['true', '1']) {
        expect(configError({ ...PRODUCTION, SEED_DEMO: flag }).message).toBe(
          'Invalid configuration:\n  SEED_DEMO: demo data is never loaded in production',
        );
      }
    });

    it('reports every production problem together', () => {
      expect(configError({ APP_MODE: 'production', SEED_DEMO: 'true' }).message).toBe(
        [
          'Invalid configuration:',
          '  WECHAT_API_BASE: required in production',
          '  WECHAT_APP_ID, WECHAT_APP_SECRET: set the real AppID and AppSecret in production',
          '  SEED_DEMO: demo data is never loaded in production',
          '  FILE_URL_SECRET: required in production (32+ random characters)',
          '  WECHAT_TEMPLATE_NEW_CASE, WECHAT_TEMPLATE_TIP_PROGRESS, WECHAT_TEMPLATE_SUBSIDY_PAID, WECHAT_TEMPLATE_LEAVE_DECIDED: the subscribe-message template ids are required in production',
        ].join('\n'),
      );
    });

    it('refuses a value left as the placeholder of .env.example, naming each variable', () => {
      expect(
        configError({
          ...PRODUCTION,
          WECHAT_APP_SECRET: 'change-me',
          FILE_URL_SECRET: 'CHANGE-ME-to-64-random-hex-characters-openssl-rand',
        }).message,
      ).toBe(
        [
          'Invalid configuration:',
          "  WECHAT_APP_SECRET: still the placeholder of .env.example; set this deployment's own value",
          "  FILE_URL_SECRET: still the placeholder of .env.example; set this deployment's own value",
        ].join('\n'),
      );
      // outside production the example's values are only values
      expect(loadConfig({ WECHAT_APP_SECRET: 'change-me' }).wechat.appSecret).toBe('change-me');
    });

    it('reports production problems together with invalid values', () => {
      const { WECHAT_API_BASE: _, ...withoutBase } = PRODUCTION;
      expect(configError({ ...withoutBase, PORT: 'http' }).message).toBe(
        [
          'Invalid configuration:',
          '  PORT: Invalid input: expected number, received NaN',
          '  WECHAT_API_BASE: required in production',
        ].join('\n'),
      );
    });
  });

  it('refuses COMPLAINT_ANSWER_DAYS, now a setting of each county in the app, rather than ignore it', () => {
    expect(configError({ COMPLAINT_ANSWER_DAYS: '2' }).message).toBe(
      'Invalid configuration:\n  COMPLAINT_ANSWER_DAYS: now set per county in the app (county admin: 时限与规则 → 资助投诉答复时限); remove it from the environment',
    );
    expect(loadConfig({ COMPLAINT_ANSWER_DAYS: '' }).mode).toBe('demo');
  });

  describe('modes', () => {
    it('offers the demo sign-in everywhere but production', () => {
      expect(loadConfig({ APP_MODE: 'demo' }).auth.devLogin).toBe(true);
      expect(loadConfig({ APP_MODE: 'test' }).auth.devLogin).toBe(true);
      expect(loadConfig(PRODUCTION).auth.devLogin).toBe(false);
    });

    it('allows the demo AppID, secret and no WeChat base URL outside production', () => {
      expect(loadConfig({ APP_MODE: 'test' }).wechat).toEqual({
        apiBase: null,
        appId: 'wxbaoxuedemo0000001',
        appSecret: 'demo-secret-not-for-production',
        timeoutMs: 5000,
        templates: DEMO_TEMPLATES,
      });
    });

    it('seeds the demo county in demo mode only, unless SEED_DEMO says otherwise', () => {
      expect(loadConfig({ APP_MODE: 'demo' }).seedDemo).toBe(true);
      expect(loadConfig({ APP_MODE: 'test' }).seedDemo).toBe(false);
      expect(loadConfig({ APP_MODE: 'demo', SEED_DEMO: 'false' }).seedDemo).toBe(false);
      expect(loadConfig({ APP_MODE: 'test', SEED_DEMO: '1' }).seedDemo).toBe(true);
    });

    it('checks responses against the contract in tests, unless told otherwise', () => {
      expect(loadConfig({ APP_MODE: 'test' }).validateResponses).toBe(true);
      expect(loadConfig({ APP_MODE: 'demo' }).validateResponses).toBe(false);
      expect(loadConfig({ APP_MODE: 'test', VALIDATE_RESPONSES: '0' }).validateResponses).toBe(false);
      expect(loadConfig({ APP_MODE: 'demo', VALIDATE_RESPONSES: 'true' }).validateResponses).toBe(true);
    });
  });

  describe('CORS_ORIGINS', () => {
    it('splits on commas, trims and drops empty entries', () => {
      expect(loadConfig({ CORS_ORIGINS: ' https://a.example.cn , http://localhost:10086,, ' }).http.corsOrigins).toEqual([
        'https://a.example.cn',
        'http://localhost:10086',
      ]);
    });

    it('keeps a single origin and the * wildcard', () => {
      expect(loadConfig({ CORS_ORIGINS: 'https://bx.example.cn' }).http.corsOrigins).toEqual(['https://bx.example.cn']);
      expect(loadConfig({ CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
    });

    it('is empty when unset or blank', () => {
      expect(loadConfig({}).http.corsOrigins).toEqual([]);
      expect(loadConfig({ CORS_ORIGINS: ' , ' }).http.corsOrigins).toEqual([]);
    });
  });
});
