import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { LEAVE_KIND_LABELS, LEAVE_STATUS_LABELS, leaveDecisionRequest } from '@baoxue/shared';
import type { LeaveStatus } from '@baoxue/shared';
import { DetailRow } from '../../../../components/detail-row';
import { PagedList } from '../../../../components/paged-list';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { schoolLineApi, type SchoolLeave } from '../../../../services/school-line';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import '../../school.css';

const FILTERS: ReadonlyArray<{ value: LeaveStatus; label: string }> = (['pending', 'approved', 'refused'] as const).map((value) => ({
  value,
  label: LEAVE_STATUS_LABELS[value],
}));

/** Parents' leave requests for the caller's classes (a leader's: the school's): approve, or refuse with a note the parent reads. */
export default function LeavePage() {
  const user = useCurrentUser();
  const [status, setStatus] = useState<LeaveStatus>('pending');
  const list = usePagedList(
    (cursor) => (user ? schoolLineApi.leave({ status, cursor }) : Promise.resolve({ items: [], nextCursor: null })),
    [user?.id, status],
  );
  useOnReturn(() => void list.reload());
  const [refusing, setRefusing] = useState<SchoolLeave | null>(null);
  const approving = useAction(async (leave: SchoolLeave) => {
    if (
      !(await confirm(
        '批准请假',
        `批准${leave.childName}${leave.fromDay}至${leave.toDay}的${LEAVE_KIND_LABELS[leave.kind]}？家长会收到审批结果。`,
        '批准',
      ))
    )
      return;
    await schoolLineApi.decideLeave(leave.id, { approve: true, note: null });
    toastSuccess('已批准');
    await list.reload();
  });
  const refuse = async (leave: SchoolLeave, note: string) => {
    await schoolLineApi.decideLeave(leave.id, { approve: false, note });
    setRefusing(null);
    toastSuccess('已处理');
    await list.reload();
  };

  if (!user)
    return (
      <Screen className="list-page leave-page">
        <Loading />
      </Screen>
    );
  return (
    <Screen className="list-page leave-page">
      <Text className="section-note">批准的请假日不计入缺勤；不批准时请写明理由，家长会看到。</Text>
      <Segmented choices={FILTERS} value={status} onChange={setStatus} />
      <PagedList list={list} empty={status === 'pending' ? '没有待审批的请假' : '没有记录'}>
        {(leave) => (
          <LeaveCard key={leave.id} leave={leave}>
            {leave.status === 'pending' && (
              <View className="inline-actions">
                <Button className="btn btn-plain btn-small" onClick={() => setRefusing(leave)}>
                  不批准
                </Button>
                <Button
                  className="btn btn-primary btn-small"
                  loading={approving.running?.[0].id === leave.id}
                  onClick={() => void approving.run(leave)}
                >
                  批准
                </Button>
              </View>
            )}
          </LeaveCard>
        )}
      </PagedList>
      {refusing && (
        <ReasonDialog
          title="不批准请假"
          note={`请写明不批准的理由，${refusing.childName}的家长会看到。`}
          placeholder="如：请家长到校当面说明情况"
          confirmText="不批准"
          schema={leaveDecisionRequest}
          field="note"
          extra={{ approve: false }}
          onConfirm={(note) => refuse(refusing, note)}
          onCancel={() => setRefusing(null)}
        />
      )}
    </Screen>
  );
}

function LeaveCard({ leave, children }: { leave: SchoolLeave; children: ReactNode }) {
  const [broken, setBroken] = useState(false);
  const photo = leave.photoUrl;
  return (
    <View className="card list-item leave-item">
      <View className="list-item-head">
        <Text className="list-item-title">{leave.childName}</Text>
        <Text className={`tag tag-${leave.status}`}>{LEAVE_STATUS_LABELS[leave.status]}</Text>
      </View>
      <Text className="list-item-line">
        {leave.classLabel} · {LEAVE_KIND_LABELS[leave.kind]}
      </Text>
      <Text className="list-item-line">
        {leave.fromDay === leave.toDay ? leave.fromDay : `${leave.fromDay} 至 ${leave.toDay}`} · 共 {leave.schoolDays} 个上学日
      </Text>
      <DetailRow label="请假事由">{leave.reason}</DetailRow>
      {photo && !broken && (
        <Image
          className="photo-large"
          src={photo}
          mode="aspectFit"
          onError={() => setBroken(true)}
          onClick={() => void Taro.previewImage({ urls: [photo], current: photo })}
        />
      )}
      {photo && broken && <Text className="list-item-meta">证明照片无法显示，请刷新后重试</Text>}
      <Text className="list-item-meta">{formatDateTime(leave.requestedAt)} 提交</Text>
      {leave.decidedAt && (
        <Text className="list-item-line">
          {leave.decidedByName ?? ''}于 {formatDateTime(leave.decidedAt)} {LEAVE_STATUS_LABELS[leave.status]}
          {leave.decisionNote ? `：${leave.decisionNote}` : ''}
        </Text>
      )}
      {children}
    </View>
  );
}
