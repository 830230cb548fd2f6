import { Button, Text, View } from '@tarojs/components';
import { ENROLMENT_KINDS } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { DetailRow } from '../../../../components/detail-row';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { noticesOfficeApi, type EnrolmentBatch } from '../../../../services/notices-office';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { mayIssueEnrolment } from '../../roles';
import '../../notices.css';

/**
 * 入学通知书: the batches the county or a school has issued, with how many guardians have
 * acknowledged; a batch prints as one PDF (one notice per page with the binding code) for the
 * families who are not in the app yet.
 */
export default function EnrolmentBatchesPage() {
  const user = useCurrentUser();
  return <Screen className="list-page enrolment-batches-page">{user ? <Batches user={user} /> : <Loading />}</Screen>;
}

function Batches({ user }: { user: Me }) {
  const batches = useLoader(() => noticesOfficeApi.batches(), []);
  const printing = useAction(async (batch: EnrolmentBatch) => {
    await noticesOfficeApi.printBatch(batch);
    toastSuccess('通知书已生成');
  });
  // Back from issuing a batch: show it.
  useOnReturn(() => void batches.reload());

  return (
    <>
      {mayIssueEnrolment(user) && (
        <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.enrolmentIssue)}>
          发出入学通知书
        </Button>
      )}
      <Text className="section-note">
        通知书发给家长后，家长在小程序中确认收到（回执）；还没有绑定孩子的家庭，请打印通知书送达，通知书上印有绑定码。
      </Text>
      {batches.error && <ErrorNotice message={batches.error} onRetry={() => void batches.reload()} />}
      {batches.loading && !batches.data && <Loading />}
      {batches.data?.items.length === 0 && <Empty text="还没有发出过入学通知书" />}
      {batches.data?.items.map((batch) => (
        <BatchCard key={batch.id} batch={batch} printing={printing.running?.[0].id === batch.id} onPrint={() => void printing.run(batch)} />
      ))}
    </>
  );
}

function BatchCard({ batch, printing, onPrint }: { batch: EnrolmentBatch; printing: boolean; onPrint: () => void }) {
  const { counts } = batch;
  return (
    <View className="card list-item enrolment-batch">
      <View className="list-item-head">
        <Text className="list-item-title">
          {batch.schoolName} · {batch.schoolYear}年秋季入学
        </Text>
      </View>
      <Text className="list-item-line">{ENROLMENT_KINDS[batch.kind]}</Text>
      <View className="batch-counts">
        <Text className="count-chip">共 {counts.total} 份</Text>
        <Text className="count-chip count-chip-done">已回执 {counts.acknowledged}</Text>
        <Text className={counts.pending ? 'count-chip count-chip-alert' : 'count-chip'}>未回执 {counts.pending}</Text>
        {counts.overdue > 0 && <Text className="count-chip count-chip-alert">逾期 {counts.overdue}</Text>}
        {counts.deferralsToDecide > 0 && <Text className="count-chip count-chip-alert">延缓待审批 {counts.deferralsToDecide}</Text>}
        {counts.deferred > 0 && <Text className="count-chip">已批准延缓 {counts.deferred}</Text>}
      </View>
      <DetailRow label="报到">
        {batch.reportOn} {batch.reportTime}，{batch.reportPlace}
      </DetailRow>
      <DetailRow label="携带材料">{batch.bring}</DetailRow>
      <DetailRow label="联系人">{batch.contact}</DetailRow>
      <DetailRow label="回执截止">{batch.acknowledgeBy}</DetailRow>
      <Text className="list-item-meta">
        {batch.issuerName} · {formatDateTime(batch.issuedAt)} 发出
      </Text>
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" loading={printing} onClick={onPrint}>
          打印通知书（PDF）
        </Button>
      </View>
    </View>
  );
}
