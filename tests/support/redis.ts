import { randomBytes } from 'node:crypto';

/** The Redis the tests of shared limits use (PLATFORM.md: 127.0.0.1:6379); `.ci/run` starts one. */
export const TEST_REDIS_URL = process.env.BX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * `describe` for tests that need Redis. `npm test` sets BX_TEST_REDIS=missing when it found none
 * (outside CI only: in CI a missing Redis fails the run before jest starts), and they are skipped.
 */
export const describeWithRedis: jest.Describe = process.env.BX_TEST_REDIS === 'missing' ? describe.skip : describe;

/** A key prefix of the test's own: test files share one Redis (and the client address 127.0.0.1). */
export function testRedisPrefix(): string {
  return `bx-test:${randomBytes(6).toString('hex')}:`;
}
