import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { formatYuan, PAYMENT_CHANNELS, PAYMENT_STATUSES } from '@baoxue/shared';
import type { PaymentStatus } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { subsidyOfficeApi, type Payment } from '../../../../services/subsidy-office';
import { PAYMENT_COLUMNS } from '../../components/county-columns';
import { SheetImport } from '../../components/sheet-import';
import '../../../../components/subpackage.css';
import '../../subsidies.css';

type Filter = PaymentStatus | 'all';

const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'all', label: '全部' },
  ...(Object.entries(PAYMENT_STATUSES) as Array<[PaymentStatus, string]>).map(([value, label]) => ({ value, label })),
];

/**
 * 资助发放: the payments of the county's sheets, each approved → sent → paid or failed with a
 * reason. A payment that becomes paid tells the pupil's guardians in the app.
 */
export default function SubsidyPaymentsPage() {
  const [status, setStatus] = useState<Filter>('all');
  const payments = usePagedList(
    (cursor) => subsidyOfficeApi.payments({ cursor, limit: 20, status: status === 'all' ? undefined : status }),
    [status],
  );

  return (
    <Screen className="list-page subsidy-payments-page">
      <SheetImport
        title="导入资助发放表"
        note="每行一笔发放：学籍号或身份证号、姓名、学期、金额、发放状态、发放渠道，可附卡号后四位和到账日期。只保存卡号后四位。"
        downloadTemplate={subsidyOfficeApi.paymentsTemplate}
        importFile={subsidyOfficeApi.importPayments}
        onImported={() => void payments.reload()}
      />
      <Text className="section-title">发放记录</Text>
      <Segmented choices={FILTERS} value={status} onChange={setStatus} />
      <DataTable<Payment>
        label="资助发放记录"
        list={payments}
        empty="没有发放记录"
        rowKey={(item) => item.id}
        columns={PAYMENT_COLUMNS}
        card={(payment) => <PaymentItem key={payment.id} payment={payment} />}
      />
    </Screen>
  );
}

function PaymentItem({ payment }: { payment: Payment }) {
  return (
    <View className="card list-item payment-item">
      <View className="list-item-head">
        <Text className="list-item-title">
          {payment.childName} · {formatYuan(payment.amountFen)}
        </Text>
        <Text className={`tag tag-payment-${payment.status}`}>{PAYMENT_STATUSES[payment.status]}</Text>
      </View>
      <Text className="list-item-line">
        {payment.semesterLabel} · {PAYMENT_CHANNELS[payment.channel]}
        {payment.cardTail ? `（尾号${payment.cardTail}）` : ''}
      </Text>
      {payment.failureReason && <Text className="list-item-line list-item-error">失败原因：{payment.failureReason}</Text>}
      <Text className="list-item-meta">
        {payment.paidOn ? `${payment.paidOn} 到账` : '尚未到账'}
        {payment.reference ? ` · 批次 ${payment.reference}` : ''}
      </Text>
    </View>
  );
}
