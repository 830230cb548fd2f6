import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { decideDeferralRequest, DEFERRAL_STATUSES } from '@baoxue/shared';
import type { DeferralStatus, Me } from '@baoxue/shared';
import { DetailRow } from '../../../../components/detail-row';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { noticesOfficeApi, type Deferral } from '../../../../services/notices-office';
import { fileUrl } from '../../../../services/request';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { mayDecideDeferrals } from '../../roles';
import '../../notices.css';

const FILTERS: ReadonlyArray<{ value: DeferralStatus; label: string }> = [
  { value: 'pending', label: DEFERRAL_STATUSES.pending },
  { value: 'approved', label: DEFERRAL_STATUSES.approved },
  { value: 'refused', label: DEFERRAL_STATUSES.refused },
];

/**
 * 延缓入学 (义务教育法 第十一条): a guardian applies, for the child's health, with a document photo;
 * the township government or the county education bureau approves or refuses with a reason. A
 * village sees the applications of its children but does not decide.
 */
export default function DeferralsPage() {
  const user = useCurrentUser();
  return <Screen className="list-page deferrals-page">{user ? <Deferrals user={user} /> : <Loading />}</Screen>;
}

function Deferrals({ user }: { user: Me }) {
  const [status, setStatus] = useState<DeferralStatus>('pending');
  const list = useLoader(() => noticesOfficeApi.deferrals({ status }), [status]);
  const [refusing, setRefusing] = useState<Deferral | null>(null);
  const approving = useAction(async (deferral: Deferral) => {
    await noticesOfficeApi.decide(deferral.id, { decision: 'approve', note: null });
    toastSuccess('已批准');
    await list.reload();
  });
  const decides = mayDecideDeferrals(user);

  const approve = async (deferral: Deferral) => {
    if (!(await confirm('批准延缓入学', `批准${deferral.childName}延缓入学？家长会收到审批结果。`, '批准'))) return;
    await approving.run(deferral);
  };

  const refuse = async (deferral: Deferral, note: string) => {
    await noticesOfficeApi.decide(deferral.id, { decision: 'refuse', note });
    setRefusing(null);
    toastSuccess('已处理');
    await list.reload();
  };

  return (
    <>
      <Text className="section-note">
        {decides
          ? '请核对证明材料（如医院诊断证明）后批准或不批准；不批准时须写明理由，家长会收到结果。'
          : '延缓入学由乡镇人民政府或县教育局审批，这里可以查看本辖区的申请和审批结果。'}
      </Text>
      <Segmented choices={FILTERS} value={status} onChange={setStatus} />
      {list.error && <ErrorNotice message={list.error} onRetry={() => void list.reload()} />}
      {list.loading && !list.data && <Loading />}
      {list.data?.items.length === 0 && <Empty text={status === 'pending' ? '没有待审批的申请' : '没有记录'} />}
      {list.data?.items.map((deferral) => (
        <DeferralCard key={deferral.id} deferral={deferral}>
          {decides && deferral.status === 'pending' && (
            <View className="inline-actions">
              <Button className="btn btn-plain btn-small" onClick={() => setRefusing(deferral)}>
                不批准
              </Button>
              <Button
                className="btn btn-primary btn-small"
                loading={approving.running?.[0].id === deferral.id}
                onClick={() => void approve(deferral)}
              >
                批准
              </Button>
            </View>
          )}
        </DeferralCard>
      ))}
      {refusing && (
        <ReasonDialog
          title="不批准延缓入学"
          note={`请写明不批准的理由，${refusing.childName}的家长会看到。`}
          placeholder="如：证明材料不能说明需要延缓入学，请按时送孩子报到"
          confirmText="不批准"
          schema={decideDeferralRequest}
          field="note"
          extra={{ decision: 'refuse' }}
          onConfirm={(note) => refuse(refusing, note)}
          onCancel={() => setRefusing(null)}
        />
      )}
    </>
  );
}

function DeferralCard({ deferral, children }: { deferral: Deferral; children: ReactNode }) {
  const [broken, setBroken] = useState(false);
  const photo = deferral.photoUrl ? fileUrl(deferral.photoUrl) : null;
  return (
    <View className="card list-item deferral-item">
      <View className="list-item-head">
        <Text className="list-item-title">{deferral.childName}</Text>
        <Text className={`tag tag-${deferral.status}`}>{DEFERRAL_STATUSES[deferral.status]}</Text>
      </View>
      <Text className="list-item-line">
        {deferral.schoolName} · {deferral.schoolYear}年秋季入学{deferral.villageName ? ` · ${deferral.villageName}` : ''}
      </Text>
      <DetailRow label="申请理由">{deferral.reason}</DetailRow>
      {photo && !broken && (
        <Image
          className="photo-large"
          src={photo}
          mode="aspectFit"
          onError={() => setBroken(true)}
          onClick={() => void Taro.previewImage({ urls: [photo], current: photo })}
        />
      )}
      {photo && broken && <Text className="list-item-meta">证明材料照片无法显示，请刷新后重试</Text>}
      <Text className="list-item-meta">{formatDateTime(deferral.appliedAt)} 申请</Text>
      {deferral.decidedAt && (
        <Text className="list-item-line deferral-decision">
          {deferral.decidedBy ?? ''}于 {formatDateTime(deferral.decidedAt)} {DEFERRAL_STATUSES[deferral.status]}
          {deferral.decisionNote ? `：${deferral.decisionNote}` : ''}
        </Text>
      )}
      {children}
    </View>
  );
}
