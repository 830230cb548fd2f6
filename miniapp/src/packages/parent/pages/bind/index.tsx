import { Button, Input, Text, View } from '@tarojs/components';
import { bindChildRequest, GUARDIAN_RELATIONS } from '@baoxue/shared';
import type { GuardianRelation } from '@baoxue/shared';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { childrenApi } from '../../../../services/parents';
import { toastSuccess } from '../../../../utils/feedback';
import { goBack } from '../../../../utils/navigation';
import '../../parent.css';

const RELATIONS = (Object.keys(GUARDIAN_RELATIONS) as GuardianRelation[]).map((relation) => ({
  value: relation,
  label: GUARDIAN_RELATIONS[relation],
}));

/**
 * 绑定孩子: the binding code printed on the paper notice (or given by the school) plus the child's
 * name, never an ID number. The server limits wrong attempts and says so in its message.
 */
export default function BindPage() {
  const user = useCurrentUser();
  const form = useForm(bindChildRequest, {});

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  if (user.role !== 'parent') {
    return (
      <Screen>
        <Empty text="只有家长可以绑定孩子" />
      </Screen>
    );
  }

  const submit = () =>
    form.submit(async (body) => {
      const child = await childrenApi.bind(body);
      toastSuccess(`已绑定${child.name}`);
      goBack();
    });

  return (
    <Screen className="form-page bind-page">
      <View className="card notice-card">
        <Text className="card-note">
          绑定码印在学校或乡镇发给您的入学通知书上，也可以向班主任索取。绑定后，您可以在这里收到孩子的入学通知书、学校通知，查看资助发放情况。一个孩子可以由几位监护人分别绑定。
        </Text>
      </View>
      <View className="card">
        <Field label="绑定码" error={form.errors.bindingCode}>
          <Input
            className="input input-code input-binding-code"
            value={form.values.bindingCode ?? ''}
            maxlength={16}
            placeholder="通知书上的绑定码"
            onInput={(event) => form.set('bindingCode', event.detail.value)}
          />
        </Field>
        <Field label="孩子姓名" error={form.errors.childName}>
          <Input
            className="input input-child-name"
            value={form.values.childName ?? ''}
            maxlength={20}
            placeholder="请输入孩子的姓名"
            onInput={(event) => form.set('childName', event.detail.value)}
          />
        </Field>
        <Field label="您与孩子的关系" error={form.errors.relation}>
          <Segmented choices={RELATIONS} value={form.values.relation} onChange={(relation) => form.set('relation', relation)} />
        </Field>
        <FormError message={form.formError} />
        <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
          绑定
        </Button>
      </View>
    </Screen>
  );
}
