import { Button, Input, View } from '@tarojs/components';
import { updateProfileRequest } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { UserCard } from '../../../../components/user-card';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { updateProfile } from '../../../../services/auth';
import { toastSuccess } from '../../../../utils/feedback';
import { goBack } from '../../../../utils/navigation';

export default function ProfilePage() {
  const user = useCurrentUser();
  return (
    <Screen className="form-page">
      {user ? (
        <>
          <UserCard user={user} />
          <ProfileForm user={user} />
        </>
      ) : (
        <Loading />
      )}
    </Screen>
  );
}

function ProfileForm({ user }: { user: Me }) {
  const form = useForm(updateProfileRequest, { displayName: user.displayName });

  const submit = () =>
    form.submit(async (body) => {
      await updateProfile(body);
      toastSuccess('已保存');
      goBack();
    });

  return (
    <View className="card">
      <Field label="姓名" error={form.errors.displayName} hint="请填写真实姓名，便于工作人员联系您">
        <Input
          className="input"
          value={form.values.displayName}
          maxlength={20}
          onInput={(event) => form.set('displayName', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        保存
      </Button>
    </View>
  );
}
