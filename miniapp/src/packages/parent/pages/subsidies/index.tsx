import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import {
  COMPLAINT_STATUSES,
  formatYuan,
  GRADE_LABELS,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  SUBSIDY_CATEGORIES,
  type PaymentStatus,
} from '@baoxue/shared';
import { COMPLAINT_TAGS } from '../../../../components/complaint-detail';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { childrenApi } from '../../../../services/parents';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import '../../parent.css';

const PAYMENT_TAGS: Record<PaymentStatus, string> = {
  approved: 'tag tag-waiting',
  sent: 'tag tag-waiting',
  paid: 'tag tag-sent',
  failed: 'tag tag-rejected',
};

/**
 * 资助: for one bound child (`?childId=`, or the first), what the family is entitled to each
 * semester, every payment with its state, channel and card tail, the 营养改善计划 meals (in kind, not
 * paid), and the complaints raised. Any payment or semester can be complained about from here.
 */
export default function SubsidiesPage() {
  const user = useCurrentUser();
  const { childId } = useRouter().params;
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  const [chosen, setChosen] = useState<string | undefined>(childId);
  const items = children.data?.items ?? [];
  const current = chosen && items.some((child) => child.id === chosen) ? chosen : items[0]?.id;

  return (
    <Screen className="detail-page subsidies-page">
      {children.error && <ErrorNotice message={children.error} onRetry={() => void children.reload()} />}
      {children.loading && !children.data && <Loading />}
      {children.data && items.length === 0 && (
        <View>
          <Empty text="绑定孩子后，可以在这里查看孩子的资助和每一笔发放。" />
          <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.parentBind)}>
            绑定孩子
          </Button>
        </View>
      )}
      {items.length > 1 && (
        <Segmented choices={items.map((child) => ({ value: child.id, label: child.name }))} value={current} onChange={setChosen} />
      )}
      {current && <ChildRecord key={current} childId={current} />}
    </Screen>
  );
}

function ChildRecord({ childId }: { childId: string }) {
  const record = useLoader(() => childrenApi.subsidies(childId), [childId]);
  useOnReturn(() => void record.reload());
  if (record.error) return <ErrorNotice message={record.error} onRetry={() => void record.reload()} />;
  if (!record.data) return <Loading />;
  const { child, eligibility, entitlements, payments, benefitsInKind, complaints } = record.data;
  const complain = (query: { paymentId?: string; semester?: string }) => openPage(PAGES.parentComplaint, { childId, ...query });

  return (
    <>
      <View className="card">
        <Text className="card-title">{child.name}</Text>
        <Text className="list-item-line">
          {[child.schoolName, child.grade ? GRADE_LABELS[child.grade] : null].filter(Boolean).join(' ') || '尚未入学'}
        </Text>
        <Text className="card-note">
          义务教育阶段的学生都免除学杂费、免费提供教科书（两免）。家庭经济困难的学生每学年认定一次，按学期发放生活补助（一补）。
        </Text>
        {eligibility.map((row) => (
          <Text key={row.schoolYear} className="list-item-line">
            {row.schoolYearLabel}：已认定为家庭经济困难学生（{SUBSIDY_CATEGORIES[row.category]}，{row.stage === 'primary' ? '小学' : '初中'}
            {row.boarding ? '寄宿生' : '走读生'}）
          </Text>
        ))}
        {eligibility.length === 0 && <Text className="list-item-meta">还没有生活补助的认定记录。如果家庭有困难，请向学校申请。</Text>}
      </View>

      {benefitsInKind.map((benefit) => (
        <View key={benefit.label} className="card benefit-card">
          <View className="list-item-head">
            <Text className="list-item-title">{benefit.label}</Text>
            <Text className="tag tag-sent">实物（在校就餐）</Text>
          </View>
          <Text className="list-item-line">{benefit.description}</Text>
          <Text className="list-item-meta">自 {benefit.since} 起执行</Text>
        </View>
      ))}

      <View className="section">
        <Text className="section-title">应享资助（按学期）</Text>
        {entitlements.length === 0 && <Empty text="没有应享的生活补助" />}
        {entitlements.length > 0 && (
          <View className="card">
            {entitlements.map((semester) => (
              <View key={semester.semester} className="aid-item entitlement">
                <View className="list-item-head">
                  <Text className="list-item-title">{semester.label}</Text>
                  <Text className={semester.paidFen >= semester.totalFen && semester.totalFen > 0 ? 'money money-paid' : 'money'}>
                    {formatYuan(semester.totalFen)}
                  </Text>
                </View>
                {semester.lines.map((line) => (
                  <View key={line.label} className="aid-line">
                    <Text>{line.label}</Text>
                    <Text>{formatYuan(line.amountFen)}</Text>
                  </View>
                ))}
                <Text className="list-item-meta">已到账 {formatYuan(semester.paidFen)}</Text>
                {semester.totalFen > 0 && (
                  <Text className="link" onClick={() => complain({ semester: semester.semester })}>
                    这学期的资助有问题？反映问题
                  </Text>
                )}
              </View>
            ))}
          </View>
        )}
      </View>

      <View className="section">
        <Text className="section-title">发放记录</Text>
        {payments.length === 0 && <Empty text="还没有发放记录" />}
        {payments.length > 0 && (
          <View className="card">
            {payments.map((payment) => (
              <View key={payment.id} className="aid-item payment">
                <View className="list-item-head">
                  <Text className="list-item-title">
                    {payment.semesterLabel} {formatYuan(payment.amountFen)}
                  </Text>
                  <Text className={PAYMENT_TAGS[payment.status]}>{PAYMENT_STATUSES[payment.status]}</Text>
                </View>
                <Text className="list-item-line">
                  {PAYMENT_CHANNELS[payment.channel]}
                  {payment.cardTail ? `（尾号${payment.cardTail}）` : ''}
                </Text>
                {payment.paidOn && <Text className="list-item-line">{payment.paidOn} 到账</Text>}
                {payment.failureReason && <Text className="list-item-error">发放失败：{payment.failureReason}</Text>}
                <Text className="list-item-meta">更新于 {formatDateTime(payment.updatedAt)}</Text>
                <Text className="link" onClick={() => complain({ paymentId: payment.id })}>
                  对这笔发放有疑问？反映问题
                </Text>
              </View>
            ))}
          </View>
        )}
      </View>

      {complaints.length > 0 && (
        <View className="section">
          <Text className="section-title">我反映的问题</Text>
          {complaints.map((complaint) => (
            <View
              key={complaint.id}
              className="card list-item complaint-item"
              onClick={() => openPage(PAGES.parentComplaint, { id: complaint.id })}
            >
              <View className="list-item-head">
                <Text className="list-item-title">{complaint.subject}</Text>
                <Text className={COMPLAINT_TAGS[complaint.status]}>{COMPLAINT_STATUSES[complaint.status]}</Text>
              </View>
              <Text className="list-item-meta">{formatDateTime(complaint.createdAt)} 提出</Text>
            </View>
          ))}
        </View>
      )}
    </>
  );
}
