import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The seed of one township's draw: the draw's seed mixed with the township code (FNV-1a, 32 bits), so
 * each township's sample depends only on the seed and its own closed cases — another township's cases
 * changing never changes it.
 */
export function townshipSeed(seed: number, townshipCode: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${townshipCode}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * `size` members of `population` drawn without replacement, reproducibly: the first `size` steps of a
 * Fisher–Yates shuffle driven by xoroshiro128+ from the seed. The population must come in a stable
 * order (the cases by id): the same seed over the same population draws the same sample, in the same order.
 */
export function drawSample<T>(population: readonly T[], size: number, seed: number, townshipCode: string): T[] {
  if (size > population.length) throw new RangeError('sample larger than its population');
  const rng = xoroshiro128plus(townshipSeed(seed, townshipCode));
  const pool = [...population];
  for (let i = 0; i < size; i++) {
    const j = uniformInt(rng, i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size);
}
