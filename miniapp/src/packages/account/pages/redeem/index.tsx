import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { redeemInvitationRequest, ROLE_LABELS } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { PAGES } from '../../../../routes';
import { redeemInvitation } from '../../../../services/invitations';
import { toastSuccess } from '../../../../utils/feedback';

export default function RedeemInvitationPage() {
  const user = useCurrentUser();
  return <Screen className="form-page">{user ? <RedeemForm user={user} /> : <Loading />}</Screen>;
}

function RedeemForm({ user }: { user: Me }) {
  const form = useForm(redeemInvitationRequest, { code: '', displayName: user.displayName });

  const submit = () =>
    form.submit(async (body) => {
      const updated = await redeemInvitation(body);
      toastSuccess(`已成为${ROLE_LABELS[updated.role]}`);
      await Taro.switchTab({ url: PAGES.home });
    });

  return (
    <View className="card">
      <Text className="card-note">
        县教育局向社会监督员和乡镇、村、学校工作人员发放邀请码。输入邀请码后，您的身份和所属单位将按邀请码设置。
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
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        确认使用邀请码
      </Button>
    </View>
  );
}
