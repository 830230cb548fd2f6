import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { PUPIL_CHANGE_STATUS_LABELS, pupilChangeDecisionRequest } from '@baoxue/shared';
import type { PupilChangeStatus } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { schoolLineApi, type PupilChange } from '../../../../services/school-line';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { PupilChangeCard } from '../../../../components/pupil-change-card';
import '../../suspensions.css';

const FILTERS: ReadonlyArray<{ value: PupilChangeStatus; label: string }> = (['pending', 'effective', 'refused'] as const).map((value) => ({
  value,
  label: value === 'pending' ? '待审批' : PUPIL_CHANGE_STATUS_LABELS[value],
}));

/** 休学审批: the county education bureau approves or refuses a school's 休学 with its document; approval closes an open case. */
export default function SuspensionsPage() {
  const user = useCurrentUser();
  const [status, setStatus] = useState<PupilChangeStatus>('pending');
  const list = usePagedList(
    (cursor) =>
      user ? schoolLineApi.changes({ direction: 'approval', status, cursor }) : Promise.resolve({ items: [], nextCursor: null }),
    [user?.id, status],
  );
  useOnReturn(() => void list.reload());
  const [refusing, setRefusing] = useState<PupilChange | null>(null);
  const approving = useAction(async (change: PupilChange) => {
    if (!(await confirm('批准休学', `批准${change.childName}休学？批准后该生的缺勤不再计入控辍规则，学校会收到结果。`, '批准'))) return;
    await schoolLineApi.decideSuspension(change.id, { approve: true, note: null });
    toastSuccess('已批准');
    await list.reload();
  });
  const refuse = async (change: PupilChange, note: string) => {
    await schoolLineApi.decideSuspension(change.id, { approve: false, note });
    setRefusing(null);
    toastSuccess('已处理');
    await list.reload();
  };

  if (!user)
    return (
      <Screen className="list-page suspensions-page">
        <Loading />
      </Screen>
    );
  return (
    <Screen className="list-page suspensions-page">
      <Text className="section-note">学校登记的休学，请核对证明材料后批准；不批准时请写明理由，学校会看到。</Text>
      <Segmented choices={FILTERS} value={status} onChange={setStatus} />
      <PagedList list={list} empty={status === 'pending' ? '没有待审批的休学' : '没有记录'}>
        {(change) => (
          <PupilChangeCard key={change.id} change={change}>
            {change.status === 'pending' && (
              <View className="inline-actions">
                <Button className="btn btn-plain btn-small" onClick={() => setRefusing(change)}>
                  不批准
                </Button>
                <Button
                  className="btn btn-primary btn-small"
                  loading={approving.running?.[0].id === change.id}
                  onClick={() => void approving.run(change)}
                >
                  批准
                </Button>
              </View>
            )}
          </PupilChangeCard>
        )}
      </PagedList>
      {refusing && (
        <ReasonDialog
          title="不批准休学"
          note={`请写明不批准的理由，${refusing.fromSchoolName}会看到。`}
          placeholder="如：证明材料不能说明需要休学"
          confirmText="不批准"
          schema={pupilChangeDecisionRequest}
          field="note"
          extra={{ approve: false }}
          onConfirm={(note) => refuse(refusing, note)}
          onCancel={() => setRefusing(null)}
        />
      )}
    </Screen>
  );
}
