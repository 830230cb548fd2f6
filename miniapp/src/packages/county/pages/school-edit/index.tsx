import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { Button, Input, View } from '@tarojs/components';
import { createSchoolRequest, SCHOOL_STAGE_LABELS, SCHOOL_STAGES } from '@baoxue/shared';
import type { SchoolView } from '@baoxue/shared';
import { DivisionPicker } from '../../../../components/division-picker';
import { Field, FormError } from '../../../../components/field';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { schoolsApi } from '../../../../services/schools';
import { toastSuccess } from '../../../../utils/feedback';
import { goBack } from '../../../../utils/navigation';

const STAGES = SCHOOL_STAGES.map((stage) => ({ value: stage, label: SCHOOL_STAGE_LABELS[stage] }));

/** Adds a school, or edits one when opened with `?id=`. */
export default function SchoolEditPage() {
  const { id } = useRouter().params;
  const school = useLoader(() => (id ? schoolsApi.get(id) : Promise.resolve(null)), [id]);

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: id ? '修改学校' : '新增学校' });
  }, [id]);

  return (
    <Screen className="form-page">
      {school.error && <ErrorNotice message={school.error} onRetry={() => void school.reload()} />}
      {school.loading ? <Loading /> : !school.error && <SchoolForm school={school.data} />}
    </Screen>
  );
}

function SchoolForm({ school }: { school: SchoolView | null }) {
  // Both requests take the same fields; an edit sends them all, which the server accepts as a patch.
  const form = useForm(
    createSchoolRequest,
    school
      ? {
          name: school.name,
          stage: school.stage,
          code: school.code,
          divisionCode: school.villageCode ?? school.townshipCode,
          address: school.address,
        }
      : { code: null, address: null },
  );

  const submit = () =>
    form.submit(async (body) => {
      if (school) await schoolsApi.update(school.id, body);
      else await schoolsApi.create(body);
      toastSuccess('已保存');
      goBack();
    });

  return (
    <View className="card">
      <Field label="学校名称" error={form.errors.name}>
        <Input
          className="input"
          value={form.values.name ?? ''}
          maxlength={50}
          placeholder="例如 光山县十里镇中心小学"
          onInput={(event) => form.set('name', event.detail.value)}
        />
      </Field>
      <Field label="学段" error={form.errors.stage}>
        <Segmented choices={STAGES} value={form.values.stage} onChange={(stage) => form.set('stage', stage)} />
      </Field>
      <Field label="所属乡镇或村" error={form.errors.divisionCode}>
        <DivisionPicker
          value={form.values.divisionCode ?? null}
          minLevel="township"
          onChange={(division) => form.set('divisionCode', division?.code)}
        />
      </Field>
      <Field label="学校标识码（选填）" error={form.errors.code} hint="教育统计系统中的10位学校标识码">
        <Input
          className="input"
          type="number"
          value={form.values.code ?? ''}
          maxlength={10}
          onInput={(event) => form.set('code', event.detail.value || null)}
        />
      </Field>
      <Field label="地址（选填）" error={form.errors.address}>
        <Input
          className="input"
          value={form.values.address ?? ''}
          maxlength={100}
          onInput={(event) => form.set('address', event.detail.value || null)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        保存
      </Button>
    </View>
  );
}
