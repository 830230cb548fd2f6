/**
 * What an empty notices list says to a parent: one who has not bound a child yet is told how notices
 * come; one who has is told none has come, not asked to bind again. `bound`: null while unknown.
 */
export function emptyNoticesText(kind: 'formal' | 'school', bound: boolean | null): string {
  if (kind === 'formal') {
    if (bound === false) return '没有收到正式通知。绑定孩子后，学校和乡镇发给您的通知会显示在这里。';
    return '没有收到正式通知。乡镇发出的《限期返校通知书》等正式通知会显示在这里。';
  }
  if (bound === false) return '还没有学校通知。绑定孩子后，学校发给家长的通知会显示在这里。';
  return '孩子的学校还没有发过通知。学校发给家长的通知会显示在这里。';
}
