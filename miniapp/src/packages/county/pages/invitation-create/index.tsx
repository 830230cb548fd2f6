import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { createInvitationRequest, POSITION_LABELS, ROLE_LABELS } from '@baoxue/shared';
import type { InvitableRole, Me, Position } from '@baoxue/shared';
import { DivisionPicker } from '../../../../components/division-picker';
import { Field, FormError } from '../../../../components/field';
import { SchoolPicker } from '../../../../components/school-picker';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { invitationsApi, type CreatedInvitation } from '../../../../services/invitations';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { unitName } from '../../../../utils/labels';
import { goBack } from '../../../../utils/navigation';

const ROLES: ReadonlyArray<{ value: InvitableRole; label: string }> = [
  { value: 'supervisor', label: ROLE_LABELS.supervisor },
  { value: 'official', label: ROLE_LABELS.official },
  { value: 'county_admin', label: '县管理员' },
];

const POSITIONS: ReadonlyArray<{ value: Position; label: string }> = [
  { value: 'leader', label: POSITION_LABELS.leader },
  { value: 'cadre', label: POSITION_LABELS.cadre },
  { value: 'school_staff', label: POSITION_LABELS.school_staff },
];

const VALIDITY: ReadonlyArray<{ value: string; label: string }> = [
  { value: '24', label: '1天' },
  { value: '72', label: '3天' },
  { value: '168', label: '7天' },
  { value: '720', label: '30天' },
];

export default function InvitationCreatePage() {
  const user = useCurrentUser();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  let content = <Loading />;
  if (created) content = <Created invitation={created} onAnother={() => setCreated(null)} />;
  else if (user) content = <InvitationForm admin={user} onCreated={setCreated} />;
  return <Screen className="form-page">{content}</Screen>;
}

function InvitationForm({ admin, onCreated }: { admin: Me; onCreated: (invitation: CreatedInvitation) => void }) {
  const form = useForm(createInvitationRequest, {
    role: 'supervisor',
    position: null,
    expiresInHours: 72,
  });
  const { role, position } = form.values;
  // School staff belong to a school; everyone else to a county, township or village.
  const unitKind = position === 'school_staff' ? 'school' : 'division';

  // another county admin belongs to the admin's own county, nowhere else
  const county = admin.unit?.kind === 'division' ? admin.unit : null;

  const chooseRole = (next: InvitableRole) => {
    form.set('role', next);
    form.set('position', next === 'official' ? (position ?? 'cadre') : null);
    if (next === 'county_admin') form.set('unit', county ? { kind: 'division', code: county.code } : undefined);
    else if (role === 'county_admin' || (next === 'supervisor' && form.values.unit?.kind === 'school')) form.set('unit', undefined);
  };

  const choosePosition = (next: Position) => {
    const kindChanges = (next === 'school_staff') !== (position === 'school_staff');
    form.set('position', next);
    if (kindChanges) form.set('unit', undefined);
  };

  const submit = () =>
    form.submit(async (body) => {
      // a county admin sees and changes everything of the county: asked once more before the code exists
      if (
        body.role === 'county_admin' &&
        !(await confirm(
          '邀请县教育局管理员',
          `使用这个邀请码的人将成为${county ? unitName(county) : '本县'}的县教育局管理员，可以查看全县儿童和案件信息、导出台账、发放邀请码（包括管理员邀请码）。请确认被邀请人是县教育局的工作人员。`,
          '确认生成',
        ))
      )
        return;
      onCreated(await invitationsApi.create(body));
    });

  return (
    <View className="card">
      <Field label="身份" error={form.errors.role}>
        <Segmented choices={ROLES} value={role} onChange={chooseRole} />
      </Field>
      {role === 'official' && (
        <Field label="职务" error={form.errors.position}>
          <Segmented choices={POSITIONS} value={position} onChange={choosePosition} />
        </Field>
      )}
      <Field
        label={unitKind === 'school' ? '所属学校' : '所属行政区划'}
        error={form.errors.unit ?? form.errors['unit.code'] ?? form.errors['unit.schoolId']}
      >
        {role === 'county_admin' ? (
          <Text className="list-item-line">{county ? unitName(county) : '本县'}（县教育局）</Text>
        ) : unitKind === 'school' ? (
          <SchoolPicker
            value={form.values.unit?.kind === 'school' ? form.values.unit.schoolId : null}
            onChange={(school) => form.set('unit', { kind: 'school', schoolId: school.id })}
          />
        ) : (
          <DivisionPicker
            value={form.values.unit?.kind === 'division' ? form.values.unit.code : null}
            onChange={(division) => form.set('unit', division ? { kind: 'division', code: division.code } : undefined)}
          />
        )}
      </Field>
      <Field label="备注（选填）" error={form.errors.note} hint="例如被邀请人的姓名，仅县教育局可见">
        <Input
          className="input"
          value={form.values.note ?? ''}
          maxlength={50}
          placeholder="被邀请人姓名或说明"
          onInput={(event) => form.set('note', event.detail.value || undefined)}
        />
      </Field>
      <Field label="有效期" error={form.errors.expiresInHours}>
        <Segmented
          choices={VALIDITY}
          value={String(form.values.expiresInHours)}
          onChange={(hours) => form.set('expiresInHours', Number(hours))}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        生成邀请码
      </Button>
    </View>
  );
}

function Created({ invitation, onAnother }: { invitation: CreatedInvitation; onAnother: () => void }) {
  const copy = async () => {
    await Taro.setClipboardData({ data: invitation.code });
    toastSuccess('已复制');
  };

  return (
    <View className="card created-invitation">
      <Text className="card-title">邀请码已生成</Text>
      <Text className="invitation-code">{invitation.code}</Text>
      <Text className="card-note">
        邀请码只显示这一次，请现在复制或抄下，交给被邀请人。对方在「我的 → 输入邀请码」中使用后，将成为{unitName(invitation.unit)}的
        {ROLE_LABELS[invitation.role]}
        {invitation.position ? `（${POSITION_LABELS[invitation.position]}）` : ''}。
      </Text>
      <Text className="list-item-meta">有效期至 {formatDateTime(invitation.expiresAt)}，只能使用一次。</Text>
      <View className="actions">
        <Button className="btn btn-primary btn-block" onClick={() => void copy()}>
          复制邀请码
        </Button>
        <Button className="btn btn-plain btn-block" onClick={onAnother}>
          继续发放
        </Button>
        <Button className="btn btn-plain btn-block" onClick={goBack}>
          返回列表
        </Button>
      </View>
    </View>
  );
}
