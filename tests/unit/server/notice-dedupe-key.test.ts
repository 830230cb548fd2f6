import { dedupeKeyOf } from '../../../server/src/modules/notifications/notifications.service';

describe('a notice dedupe key per user', () => {
  const caseId = '01a24a43-6181-7b11-9acf-144f9a01433c';
  const schoolId = '01a24a43-5f70-77aa-ae64-00968f4bb653';
  // two accounts created in the same millisecond: UUIDv7s that differ only at the end
  const users = ['01a24a43-5fa0-71ff-8c2b-0f5bd56a8142', '01a24a43-5fa0-71ff-8c2b-0f5bd56a8199'];

  it('keeps a short key readable', () => {
    expect(dedupeKeyOf(`case-routed:${caseId}`, users[0]!)).toBe(`case-routed:${caseId}:${users[0]}`);
  });

  it('fits a long key in the column without two users ending alike', () => {
    const long = `school:${caseId}:${schoolId}:1796542260253`;
    const keys = users.map((user) => dedupeKeyOf(long, user));
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(120);
    expect(new Set(keys).size).toBe(2);
    // the same notice to the same user keeps its key (a retry is deduplicated)
    expect(dedupeKeyOf(long, users[0]!)).toBe(keys[0]);
    expect(dedupeKeyOf(`${long}1`, users[0]!)).not.toBe(keys[0]);
  });
});
