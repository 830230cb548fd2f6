import { policyProblems } from '../../../server/src/common/http/route-registry';

describe('the boot check of the routes’ policy rows', () => {
  it('passes a route whose role filter lets in every role of its row, or any signed-in user', () => {
    expect(policyProblems('C.route', { case: 'route' }, { kind: 'roles', roles: ['county_admin'] })).toEqual([]);
    expect(policyProblems('C.review', { record: 'review_children' }, { kind: 'roles', roles: ['official', 'county_admin'] })).toEqual([]);
    expect(policyProblems('C.any', { record: 'read_tip' }, { kind: 'signed-in' })).toEqual([]);
    expect(policyProblems('C.none', null, { kind: 'public' })).toEqual([]);
  });

  it('refuses a row the policy does not have, and a filter that keeps out a role the row lets in', () => {
    expect(policyProblems('C.typo', { record: 'read_everything' as never }, { kind: 'signed-in' })).toEqual([
      'C.typo names the policy row {"record":"read_everything"}, which the policy does not have',
    ]);
    expect(policyProblems('C.review', { record: 'review_children' }, { kind: 'roles', roles: ['official'] })).toEqual([
      'C.review keeps out county_admin, whom its policy row {"record":"review_children"} lets in',
    ]);
  });
});
