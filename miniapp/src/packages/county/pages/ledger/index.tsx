import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { ledgerQuery } from '@baoxue/shared';
import type { Me, RequestQuery } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { DivisionPicker } from '../../../../components/division-picker';
import { Field, FormError } from '../../../../components/field';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { downloadFile } from '../../../../services/download';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import '../../county.css';

/**
 * 导出台账: every case of a unit and period as .xlsx, with its visits and outcome. ID numbers are
 * masked unless a county admin asks for them in full, stating why: the reason goes into the audit log.
 */
export default function LedgerPage() {
  const user = useCurrentUser();
  return <Screen className="form-page ledger-page">{user ? <LedgerForm user={user} /> : <Loading />}</Screen>;
}

function LedgerForm({ user }: { user: Me }) {
  const county = user.role === 'county_admin';
  const unitCode = user.unit?.kind === 'division' ? user.unit.code : null;
  const form = useForm(ledgerQuery, { revealIds: 'false' });
  const [askingReason, setAskingReason] = useState(false);
  const revealIds = form.values.revealIds === 'true';

  const download = async (query: RequestQuery<'casesLedger'>) => {
    await downloadFile('casesLedger', { query, fileName: `控辍保学台账-${today()}.xlsx` });
    toastSuccess('台账已导出');
  };
  // full ID numbers only with a reason (BRIEF §7), asked for at the moment of exporting
  const submit = () => (revealIds ? setAskingReason(true) : void form.submit(download, { reason: undefined }));

  return (
    <>
      <View className="card">
        <Text className="card-note">
          导出本单位的案件台账（Excel），每个案件一行：孩子、监护人、居住村、学校、辍学原因、每次家访、安置方式、各环节日期和状态。举报人信息不会导出。
        </Text>
      </View>
      <View className="card">
        <Field label="立案日期从（选填）" error={form.errors.from}>
          <DateField
            className="input-from"
            value={form.values.from}
            end={form.values.to ?? today()}
            placeholder="不限"
            onChange={(day) => form.set('from', day ?? undefined)}
          />
        </Field>
        <Field label="立案日期到（选填）" error={form.errors.to}>
          <DateField
            className="input-to"
            value={form.values.to}
            start={form.values.from}
            end={today()}
            placeholder="不限"
            onChange={(day) => form.set('to', day ?? undefined)}
          />
        </Field>
        {user.unit?.kind !== 'school' && (
          <Field label="单位" error={form.errors.under} hint="不选乡镇或村时导出本单位全部案件">
            <DivisionPicker
              value={unitCode}
              minLevel="township"
              onChange={(division) => form.set('under', division && division.code !== unitCode ? division.code : undefined)}
            />
          </Field>
        )}
        {county && (
          <Field label="身份证号" error={form.errors.revealIds}>
            <View
              className="agreement reveal-ids"
              onClick={() => form.set('revealIds', form.values.revealIds === 'true' ? 'false' : 'true')}
            >
              <View className={form.values.revealIds === 'true' ? 'checkbox checkbox-checked' : 'checkbox'}>
                {form.values.revealIds === 'true' ? '✓' : ''}
              </View>
              <Text>导出完整身份证号</Text>
            </View>
            <Text className="field-hint">默认隐去中间位数。导出完整号码须说明理由，理由、操作人和时间记入审计日志，请妥善保管文件。</Text>
          </Field>
        )}
        <FormError message={form.formError} />
        <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={submit}>
          导出台账
        </Button>
      </View>
      {askingReason && (
        <ReasonDialog
          title="导出完整身份证号"
          note="文件将含孩子的完整身份证号。请说明用途：理由、导出人和时间记入审计日志，县教育局可查。"
          placeholder="例如：与县公安局核对户籍信息"
          confirmText="导出"
          schema={ledgerQuery}
          extra={form.values}
          onConfirm={async (reason) => {
            await form.submit(download, { reason });
            setAskingReason(false);
          }}
          onCancel={() => setAskingReason(false)}
        />
      )}
    </>
  );
}
