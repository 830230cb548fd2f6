import { useState } from 'react';
import { Button, Image, Text, View } from '@tarojs/components';
import { LEAVE_KIND_LABELS, LEAVE_STATUS_LABELS, type LeaveStatus } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { childrenApi } from '../../../../services/parents';
import { leaveApi, type Leave } from '../../../../services/leave';
import { fileUrl } from '../../../../services/request';
import { PAGES } from '../../../../routes';
import { today } from '../../../../utils/dates';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import '../../../../components/field.css';
import '../../../../components/subpackage.css';
import '../../parent.css';

const STATUS_TAGS: Record<LeaveStatus, string> = {
  pending: 'tag tag-waiting',
  approved: 'tag tag-sent',
  refused: 'tag tag-rejected',
  withdrawn: 'tag',
};
const same = (a: Leave, b: Leave) => a.id === b.id;
const EMPTY = { items: [], nextCursor: null };

/** Whether the parent may still take it back: waiting, or approved and not begun (as the server decides). */
function withdrawable(leave: Leave): boolean {
  return leave.status === 'pending' || (leave.status === 'approved' && leave.fromDay > today());
}

/**
 * 请假: the leave asked for the parent's bound children, newest first, with the 班主任's decision
 * and note; a button per child (on a school roster) to ask for leave, and 撤回 for a request still
 * waiting or not yet begun.
 */
export default function LeavePage() {
  const user = useCurrentUser();
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  const leave = usePagedList((cursor) => (user ? leaveApi.mine(cursor) : Promise.resolve(EMPTY)), [user?.id]);
  useOnReturn(() => void leave.reload());
  const withdraw = useAction(async (item: Leave) => {
    if (!(await confirm('撤回请假', `撤回${item.childName}${item.fromDay}起的请假？`, '撤回'))) return;
    leave.replace(await leaveApi.withdraw(item.id), same);
    toastSuccess('已撤回');
  });

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  const rostered = (children.data?.items ?? []).filter((child) => child.schoolId && child.grade && child.className);
  return (
    <Screen className="list-page leave-page">
      <View className="card leave-ask">
        <Text className="card-note">孩子生病或家中有事不能上学，请提前在这里向班主任请假；今天的假也可以请。批准后，这几天不算缺勤。</Text>
        {children.data && rostered.length === 0 && (
          <Text className="field-hint">绑定的孩子还没有学校和班级信息，暂时不能在这里请假，请直接联系学校。</Text>
        )}
        <View className="inline-actions">
          {rostered.map((child) => (
            <Button
              key={child.id}
              className="btn btn-primary btn-small btn-ask-leave"
              onClick={() => openPage(PAGES.parentLeaveRequest, { childId: child.id })}
            >
              为{child.name}请假
            </Button>
          ))}
        </View>
      </View>
      <PagedList list={leave} empty="还没有请过假。">
        {(item) => (
          <LeaveItem
            key={item.id}
            leave={item}
            withdrawing={withdraw.running?.[0].id === item.id}
            onWithdraw={() => void withdraw.run(item)}
          />
        )}
      </PagedList>
    </Screen>
  );
}

function LeaveItem({ leave, withdrawing, onWithdraw }: { leave: Leave; withdrawing: boolean; onWithdraw: () => void }) {
  const [broken, setBroken] = useState(false);
  return (
    <View className="card list-item leave-item">
      <View className="list-item-head">
        <Text className="list-item-title">
          {leave.childName} · {LEAVE_KIND_LABELS[leave.kind]}
        </Text>
        <Text className={STATUS_TAGS[leave.status]}>{LEAVE_STATUS_LABELS[leave.status]}</Text>
      </View>
      <Text className="list-item-line">
        {leave.fromDay === leave.toDay ? leave.fromDay : `${leave.fromDay} 至 ${leave.toDay}`}（{leave.schoolDays}个上学日）
      </Text>
      <Text className="list-item-line">事由：{leave.reason}</Text>
      {leave.photoUrl && !broken && (
        <Image className="document-photo" src={fileUrl(leave.photoUrl)} mode="aspectFill" onError={() => setBroken(true)} />
      )}
      <Text className="list-item-meta">
        {leave.classLabel} · {formatDateTime(leave.requestedAt)} 提交
      </Text>
      {leave.status === 'pending' && <Text className="field-hint">等待班主任审批，审批后会通知您。</Text>}
      {leave.decidedAt && (
        <Text className="list-item-line leave-decision">
          {leave.decidedByName ?? '班主任'}于 {formatDateTime(leave.decidedAt)}
          {leave.status === 'refused' ? '未批准' : '批准'}
          {leave.decisionNote ? `：${leave.decisionNote}` : ''}
        </Text>
      )}
      {leave.status === 'refused' && <Text className="field-hint">未获批准的，请按时送孩子上学；有疑问请联系班主任。</Text>}
      {withdrawable(leave) && (
        <View className="inline-actions">
          <Button className="btn btn-plain btn-small btn-withdraw-leave" loading={withdrawing} onClick={onWithdraw}>
            撤回
          </Button>
        </View>
      )}
    </View>
  );
}
