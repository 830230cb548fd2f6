import { drawSample, townshipSeed } from '../../../server/src/modules/spot-checks/spot-check-draw';

const population = Array.from({ length: 40 }, (_, i) => `case-${String(i).padStart(2, '0')}`);

describe('督导 spot-check draw', () => {
  it('draws the same sample from the same seed and population, without repeats', () => {
    const first = drawSample(population, 10, 20261206, '411522101000');
    expect(drawSample(population, 10, 20261206, '411522101000')).toEqual(first);
    expect(new Set(first).size).toBe(10);
    expect(first.every((id) => population.includes(id))).toBe(true);
    // a larger sample from the same seed starts with the smaller one (the shuffle's first steps)
    expect(drawSample(population, 15, 20261206, '411522101000').slice(0, 10)).toEqual(first);
  });

  it('draws differently for another seed or another township, and all of a population asked for all', () => {
    const first = drawSample(population, 10, 20261206, '411522101000');
    expect(drawSample(population, 10, 20261207, '411522101000')).not.toEqual(first);
    expect(drawSample(population, 10, 20261206, '411522102000')).not.toEqual(first);
    expect(townshipSeed(1, '411522101000')).not.toBe(townshipSeed(1, '411522102000'));
    expect([...drawSample(population, 40, 5, 'x')].sort()).toEqual(population);
    expect(drawSample(population, 0, 5, 'x')).toEqual([]);
  });

  it('refuses a sample larger than its population (the service answers 400 before)', () => {
    expect(() => drawSample(population, 41, 5, 'x')).toThrow(RangeError);
  });
});
