import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { INVITATION_STATUS_LABELS, POSITION_LABELS, ROLE_LABELS } from '@baoxue/shared';
import type { InvitationStatus, InvitationView } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { invitationsApi } from '../../../../services/invitations';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { unitName } from '../../../../utils/labels';
import { openPage } from '../../../../utils/navigation';
import { invitationColumns } from '../../components/county-columns';

type Filter = InvitationStatus | 'all';

const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'active', label: INVITATION_STATUS_LABELS.active },
  { value: 'used', label: INVITATION_STATUS_LABELS.used },
  { value: 'expired', label: INVITATION_STATUS_LABELS.expired },
  { value: 'revoked', label: INVITATION_STATUS_LABELS.revoked },
];

export default function InvitationsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const invitations = useLoader(() => invitationsApi.list(filter === 'all' ? undefined : filter), [filter]);
  const revoking = useAction(async (invitation: InvitationView) => {
    await invitationsApi.revoke(invitation.id);
    toastSuccess('已撤销');
    await invitations.reload();
  });

  // Back from issuing a code: show it in the list.
  useOnReturn(() => void invitations.reload());

  const revoke = async (invitation: InvitationView) => {
    if (!(await confirm('撤销邀请码', `撤销尾号 ${invitation.codeHint} 的邀请码后，它将不能再使用。`, '撤销'))) return;
    await revoking.run(invitation);
  };

  return (
    <Screen className="list-page">
      <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.invitationCreate)}>
        发放邀请码
      </Button>
      <Segmented choices={FILTERS} value={filter} onChange={setFilter} />
      {invitations.error && <ErrorNotice message={invitations.error} onRetry={() => void invitations.reload()} />}
      {invitations.loading && !invitations.data && <Loading />}
      {invitations.data?.items.length === 0 && <Empty text="还没有邀请码" />}
      <DataTable<InvitationView>
        label="邀请码列表"
        items={invitations.data?.items ?? []}
        rowKey={(invitation) => invitation.id}
        columns={invitationColumns({ run: (invitation) => void revoke(invitation), busyId: revoking.running?.[0].id ?? null })}
        card={(invitation) => (
          <View key={invitation.id} className="card list-item">
            <View className="list-item-head">
              <Text className="list-item-title">
                {ROLE_LABELS[invitation.role]}
                {invitation.position ? ` · ${POSITION_LABELS[invitation.position]}` : ''}
              </Text>
              <Text className={`tag tag-${invitation.status}`}>{INVITATION_STATUS_LABELS[invitation.status]}</Text>
            </View>
            <Text className="list-item-line">单位：{unitName(invitation.unit)}</Text>
            {invitation.note && <Text className="list-item-line">备注：{invitation.note}</Text>}
            <Text className="list-item-line">邀请码尾号：{invitation.codeHint}</Text>
            <Text className="list-item-meta">
              {invitation.issuedByName ?? '系统运维人员'} 发放于 {formatDateTime(invitation.createdAt)}，有效期至{' '}
              {formatDateTime(invitation.expiresAt)}
            </Text>
            {invitation.usedAt && (
              <Text className="list-item-meta">
                {invitation.usedByName ?? '用户'} 于 {formatDateTime(invitation.usedAt)} 使用
              </Text>
            )}
            {invitation.status === 'active' && (
              <Button
                className="btn btn-plain btn-small"
                loading={revoking.running?.[0].id === invitation.id}
                onClick={() => void revoke(invitation)}
              >
                撤销
              </Button>
            )}
          </View>
        )}
      />
    </Screen>
  );
}
