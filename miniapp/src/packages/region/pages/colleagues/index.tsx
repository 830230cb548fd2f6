import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { INVITATION_STATUS_LABELS, regionBureauName, type InvitationView } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { invitationsApi, type CreatedInvitation } from '../../../../services/invitations';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import '../../region.css';

/**
 * 邀请同事: a region admin issues single-use codes that make a colleague a region admin of the same
 * prefecture or province (the only code it may issue), sees its codes and revokes unused ones.
 */
export default function RegionColleaguesPage() {
  const user = useCurrentUser();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const invitations = useLoader(() => invitationsApi.list(), []);
  const region = user?.unit?.kind === 'division' ? user.unit : null;
  const issuing = useAction(async () => {
    if (!region) return;
    setCreated(await invitationsApi.create({ role: 'region_admin', unit: { kind: 'division', code: region.code }, expiresInHours: 72 }));
    await invitations.reload();
  });
  const revoking = useAction(async (invitation: InvitationView) => {
    await invitationsApi.revoke(invitation.id);
    toastSuccess('已撤销');
    await invitations.reload();
  });

  if (!user) return <Loading />;
  return (
    <Screen className="list-page region-page">
      <Text className="section-note">
        邀请码只能使用一次，72 小时内有效。对方在“我的 → 输入邀请码”中输入后，即成为
        {region ? regionBureauName(region.name, region.code) : '上级教育局'}的管理员。
      </Text>
      <Button className="btn btn-primary btn-block" loading={issuing.busy} disabled={!region} onClick={() => void issuing.run()}>
        生成邀请码
      </Button>
      {created && (
        <View className="card">
          <Text className="card-title">新的邀请码（只显示这一次）</Text>
          <Text className="invite-code" userSelect>
            {created.code}
          </Text>
          <Text className="list-item-meta">有效期至 {formatDateTime(created.expiresAt)}</Text>
        </View>
      )}
      {invitations.error && <ErrorNotice message={invitations.error} onRetry={() => void invitations.reload()} />}
      {invitations.loading && !invitations.data && <Loading />}
      {invitations.data?.items.length === 0 && <Empty text="还没有邀请码" />}
      {invitations.data?.items.map((invitation) => (
        <View key={invitation.id} className="card list-item">
          <View className="list-item-head">
            <Text className="list-item-title">尾号 {invitation.codeHint}</Text>
            <Text className={`tag tag-${invitation.status}`}>{INVITATION_STATUS_LABELS[invitation.status]}</Text>
          </View>
          <Text className="list-item-meta">
            {invitation.issuedByName ?? '系统运维人员'} 发放于 {formatDateTime(invitation.createdAt)}
          </Text>
          {invitation.usedAt && (
            <Text className="list-item-meta">
              {invitation.usedByName ?? '用户'} 于 {formatDateTime(invitation.usedAt)} 使用
            </Text>
          )}
          {invitation.status === 'active' && (
            <Button className="btn btn-plain btn-small" onClick={() => void revoking.run(invitation)}>
              撤销
            </Button>
          )}
        </View>
      ))}
    </Screen>
  );
}
