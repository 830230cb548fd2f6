import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { redeemInvitationRequest, ROLE_LABELS, roleChange } from '@baoxue/shared';
import type { AppointmentView, Me, RoleChange } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { PAGES } from '../../../../routes';
import { redeemInvitation } from '../../../../services/invitations';
import { ApiError } from '../../../../services/request';
import { toastSuccess } from '../../../../utils/feedback';
import { roleTitle, unitName } from '../../../../utils/labels';

export default function RedeemInvitationPage() {
  const user = useCurrentUser();
  return <Screen className="form-page">{user ? <RedeemForm user={user} /> : <Loading />}</Screen>;
}

/** The change the server asks the user to confirm before the code is used, when its refusal carries one. */
function roleChangeOf(error: unknown): RoleChange | null {
  if (!(error instanceof ApiError) || error.code !== 'INVITATION_ROLE_CHANGE') return null;
  const parsed = roleChange.safeParse(error.current);
  return parsed.success ? parsed.data : null;
}

function RedeemForm({ user }: { user: Me }) {
  const form = useForm(redeemInvitationRequest, { code: '', displayName: user.displayName });
  // shown when the code would change what the user already is; the same code is then sent again, confirmed
  const [change, setChange] = useState<RoleChange | null>(null);

  const submit = (confirmRoleChange: boolean) =>
    form.submit(
      async (body) => {
        try {
          const updated = await redeemInvitation(body);
          toastSuccess(`已成为${ROLE_LABELS[updated.role]}`);
          await Taro.switchTab({ url: PAGES.home });
        } catch (error) {
          const asked = roleChangeOf(error);
          if (!asked) throw error;
          setChange(asked);
        }
      },
      { confirmRoleChange },
    );

  if (change) {
    return (
      <RoleChangeConfirmation
        change={change}
        confirming={form.submitting}
        error={form.formError}
        onConfirm={() => void submit(true)}
        onCancel={() => setChange(null)}
      />
    );
  }

  return (
    <View className="card">
      <Text className="card-note">
        县教育局向社会监督员，乡镇、村、学校工作人员和县教育局管理员发放邀请码。输入邀请码后，您的身份和所属单位将按邀请码设置。
      </Text>
      <Field label="邀请码" error={form.errors.code}>
        <Input
          className="input input-code"
          value={form.values.code}
          placeholder="请输入邀请码"
          maxlength={20}
          onInput={(event) => form.set('code', event.detail.value)}
        />
      </Field>
      <Field label="您的真实姓名" error={form.errors.displayName} hint="工作人员将看到这个姓名">
        <Input
          className="input"
          value={form.values.displayName}
          placeholder="请输入姓名"
          maxlength={20}
          onInput={(event) => form.set('displayName', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit(false)}>
        确认使用邀请码
      </Button>
    </View>
  );
}

function appointmentLine(appointment: AppointmentView): string {
  return appointment.unit ? `${unitName(appointment.unit)} ${roleTitle(appointment)}` : roleTitle(appointment);
}

function RoleChangeConfirmation(props: {
  change: RoleChange;
  confirming: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { change } = props;
  return (
    <View className="card role-change">
      <Text className="card-title">使用这个邀请码会改变您的身份</Text>
      <Text className="list-item-line">现在：{appointmentLine(change.from)}</Text>
      <Text className="list-item-line">使用后：{appointmentLine(change.to)}</Text>
      <Text className="card-note">
        一个账号只有一个身份。确认后，您将不再以原来的身份和单位处理工作，原单位的待办也不会再发给您。
        {change.boundChildren > 0 ? `您已绑定${change.boundChildren}个孩子，变更后将不能再以家长身份查看他们的通知和资助信息。` : ''}
      </Text>
      <FormError message={props.error} />
      <View className="actions">
        <Button className="btn btn-primary btn-block" loading={props.confirming} onClick={props.onConfirm}>
          确认变更并使用邀请码
        </Button>
        <Button className="btn btn-plain btn-block" disabled={props.confirming || undefined} onClick={props.onCancel}>
          不变更，返回
        </Button>
      </View>
    </View>
  );
}
