import { Button, Text, Textarea, View } from '@tarojs/components';
import { routeCaseRequest } from '@baoxue/shared';
import { useForm } from '../hooks/use-form';
import { useLoader } from '../hooks/use-loader';
import { casesApi, type CaseDetailView } from '../services/cases';
import { divisionsApi } from '../services/divisions';
import { Field, FormError } from './field';
import { ErrorNotice, Loading } from './status';
import './subpackage.css';

/**
 * The county's hand routing of a case that could not be routed by its place: a township of the
 * county and why. The routing history keeps who did it and the reason.
 */
export function RouteCaseForm({
  caseId,
  countyCode,
  onRouted,
}: {
  caseId: string;
  countyCode: string;
  onRouted: (routed: CaseDetailView) => void;
}) {
  const townships = useLoader(() => divisionsApi.children(countyCode), [countyCode]);
  const form = useForm(routeCaseRequest, { reason: '' });

  const submit = () => form.submit(async (body) => onRouted(await casesApi.route(caseId, body)));

  return (
    <View className="route-form">
      <Field label="分派到乡镇" error={form.errors.townshipCode}>
        {townships.error && <ErrorNotice message={townships.error} onRetry={() => void townships.reload()} />}
        {townships.loading && !townships.data && <Loading />}
        <View className="chips">
          {townships.data?.items.map((township) => (
            <View
              key={township.code}
              className={township.code === form.values.townshipCode ? 'chip chip-active' : 'chip'}
              onClick={() => form.set('townshipCode', township.code)}
            >
              {township.name}
            </View>
          ))}
        </View>
      </Field>
      <Field label="分派原因" error={form.errors.reason}>
        <Textarea
          className="textarea textarea-small"
          value={form.values.reason ?? ''}
          maxlength={200}
          placeholder="例如：据线索描述，孩子住在该镇"
          onInput={(event) => form.set('reason', event.detail.value)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        分派
      </Button>
      <Text className="field-hint">分派后该乡镇的工作人员会收到通知，分派记录会保留操作人和原因。</Text>
    </View>
  );
}
