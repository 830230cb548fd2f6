import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Image, Text, Textarea, View } from '@tarojs/components';
import { applyDeferralRequest, DEFERRAL_STATUSES, ENROLMENT_NOTICE_STATES } from '@baoxue/shared';
import type { EnrolmentNoticeState } from '@baoxue/shared';
import { DetailRow } from '../../../../components/detail-row';
import { Field, FormError } from '../../../../components/field';
import { PhotoField, type UploadedPhoto } from '../../../../components/photo-field';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { useStableCallback } from '../../../../hooks/use-stable-callback';
import { downloadFile } from '../../../../services/download';
import { enrolmentApi, type EnrolmentNotice } from '../../../../services/parents';
import { fileUrl, messageOf } from '../../../../services/request';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import '../../../../components/subpackage.css';
import '../../parent.css';

const STATE_TAGS: Record<EnrolmentNoticeState, string> = {
  issued: 'tag tag-waiting',
  read: 'tag tag-waiting',
  acknowledged: 'tag tag-sent',
  deferral_pending: 'tag tag-waiting',
  deferred: 'tag tag-sent',
};

/**
 * 入学通知书: the notices sent about the parent's bound children. Opening one marks it read; the
 * parent acknowledges it (回执), opens its PDF, or applies for a deferral (延缓入学) with a document
 * photo and later sees the decision. `?id=` (from a message) opens that notice.
 */
export default function EnrolmentPage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const notices = useLoader(() => (user ? enrolmentApi.mine() : null), [user?.id]);
  useOnReturn(() => void notices.reload());
  const [openId, setOpenId] = useState<string | null>(id ?? null);
  const items = notices.data?.items ?? [];

  const replace = (updated: EnrolmentNotice) =>
    notices.set({ items: items.map((notice) => (notice.id === updated.id ? updated : notice)) });

  // A parent with a single notice reads it straight away.
  const loaded = notices.data;
  useEffect(() => {
    const only = loaded?.items.length === 1 ? loaded.items[0]!.id : null;
    if (only) setOpenId((open) => open ?? only);
  }, [loaded]);

  return (
    <Screen className="detail-page enrolment-page">
      {notices.error && <ErrorNotice message={notices.error} onRetry={() => void notices.reload()} />}
      {notices.loading && !notices.data && <Loading />}
      {notices.data && items.length === 0 && <Empty text="还没有入学通知书。绑定孩子后，学校或教育局发出的入学通知书会显示在这里。" />}
      {items.map((notice) =>
        notice.id === openId ? (
          <OpenNotice key={notice.id} notice={notice} onChange={replace} onClose={() => setOpenId(null)} />
        ) : (
          <NoticeSummary key={notice.id} notice={notice} onOpen={() => setOpenId(notice.id)} />
        ),
      )}
    </Screen>
  );
}

function title(notice: EnrolmentNotice): string {
  return `${notice.childName}的入学通知书`;
}

function NoticeSummary({ notice, onOpen }: { notice: EnrolmentNotice; onOpen: () => void }) {
  return (
    <View className="card list-item enrolment-notice" onClick={onOpen}>
      <View className="list-item-head">
        <Text className="list-item-title">{title(notice)}</Text>
        <Text className={STATE_TAGS[notice.state]}>{ENROLMENT_NOTICE_STATES[notice.state]}</Text>
      </View>
      <Text className="list-item-line">
        {notice.schoolYear}年秋季 {notice.schoolName}
      </Text>
      <Text className="list-item-meta">
        {formatDateTime(notice.issuedAt)} 发出 · 请于 {notice.acknowledgeBy} 前回执
      </Text>
    </View>
  );
}

function OpenNotice({
  notice,
  onChange,
  onClose,
}: {
  notice: EnrolmentNotice;
  onChange: (notice: EnrolmentNotice) => void;
  onClose: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);

  // Opening it tells the school the parent has seen it (已查看); the answer is the notice as it is now.
  const changed = useStableCallback(onChange);
  useEffect(() => {
    enrolmentApi
      .get(notice.id)
      .then(changed)
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, [notice.id, changed]);

  const acknowledge = useAction(
    async () => {
      setError(null);
      onChange(await enrolmentApi.acknowledge(notice.id));
      toastSuccess('已回执');
    },
    { errorIn: 'inline' },
  );
  const openPdf = useAction(() =>
    downloadFile('enrolmentPdf', { params: { id: notice.id }, fileName: `${notice.childName}入学通知书.pdf` }),
  );

  const done = notice.acknowledgedAt !== null;
  const failure = error ?? acknowledge.error;
  return (
    <View className={done ? 'card enrolment-notice notice-done' : 'card enrolment-notice notice-open'}>
      <View className="list-item-head" onClick={onClose}>
        <Text className="list-item-title">{title(notice)}</Text>
        <Text className={STATE_TAGS[notice.state]}>{ENROLMENT_NOTICE_STATES[notice.state]}</Text>
      </View>
      <View className="notice-facts">
        <DetailRow label="孩子">{notice.childName}</DetailRow>
        <DetailRow label="入学学校">{notice.schoolName}</DetailRow>
        <DetailRow label="报到时间">
          {notice.reportOn} {notice.reportTime}
        </DetailRow>
        <DetailRow label="报到地点">{notice.reportPlace}</DetailRow>
        <DetailRow label="需携带">{notice.bring}</DetailRow>
        <DetailRow label="联系人">{notice.contact}</DetailRow>
        <DetailRow label="回执截止">{notice.acknowledgeBy}</DetailRow>
        <DetailRow label="发出单位">
          {notice.issuerName} · {formatDateTime(notice.issuedAt)}
        </DetailRow>
      </View>
      <Text className="notice-text law-text">{notice.text}</Text>

      {done ? (
        <Text className="done-line">您已于 {formatDateTime(notice.acknowledgedAt)} 确认收到本通知书（已回执）。</Text>
      ) : (
        notice.actions.includes('acknowledge') && (
          <Text className="field-hint">请阅读后确认收到（回执），学校和村里会知道您已收到通知，并请按时送孩子报到。</Text>
        )
      )}
      {failure && <Text className="field-error">{failure}</Text>}
      <View className="notice-actions inline-actions">
        <Button className="btn btn-plain btn-small" loading={openPdf.busy} onClick={() => void openPdf.run()}>
          查看PDF
        </Button>
        {notice.actions.includes('acknowledge') && (
          <Button className="btn btn-primary btn-small" loading={acknowledge.busy} onClick={() => void acknowledge.run()}>
            确认收到（回执）
          </Button>
        )}
      </View>

      {notice.deferral && <DeferralStatus deferral={notice.deferral} />}
      {notice.actions.includes('apply_deferral') &&
        (applying ? (
          <DeferralForm
            notice={notice}
            onCancel={() => setApplying(false)}
            onApplied={(updated) => {
              setApplying(false);
              onChange(updated);
            }}
          />
        ) : (
          <Text className="link apply-deferral" onClick={() => setApplying(true)}>
            孩子因身体原因需要延缓入学？申请延缓入学
          </Text>
        ))}
    </View>
  );
}

function DeferralStatus({ deferral }: { deferral: NonNullable<EnrolmentNotice['deferral']> }) {
  const [broken, setBroken] = useState(false);
  return (
    <View className="deferral-box">
      <View className="list-item-head">
        <Text className="list-item-title">延缓入学申请</Text>
        <Text
          className={
            deferral.status === 'refused' ? 'tag tag-rejected' : deferral.status === 'approved' ? 'tag tag-sent' : 'tag tag-waiting'
          }
        >
          {DEFERRAL_STATUSES[deferral.status]}
        </Text>
      </View>
      <Text className="list-item-line">理由：{deferral.reason}</Text>
      <Text className="list-item-meta">{formatDateTime(deferral.appliedAt)} 提交</Text>
      {deferral.photoUrl && !broken && (
        <Image className="document-photo" src={fileUrl(deferral.photoUrl)} mode="aspectFill" onError={() => setBroken(true)} />
      )}
      {deferral.status === 'pending' && <Text className="field-hint">申请由乡镇人民政府或县教育局审批，审批后会通知您。</Text>}
      {deferral.decidedAt && (
        <Text className="list-item-line">
          {deferral.decidedBy ?? '审批单位'}于 {formatDateTime(deferral.decidedAt)}
          {deferral.status === 'approved' ? '批准延缓入学' : '决定不予批准'}
          {deferral.decisionNote ? `：${deferral.decisionNote}` : ''}
        </Text>
      )}
      {deferral.status === 'refused' && <Text className="field-hint">未获批准的，请按通知书按时送孩子报到；情况有变化可以重新申请。</Text>}
    </View>
  );
}

function DeferralForm({
  notice,
  onCancel,
  onApplied,
}: {
  notice: EnrolmentNotice;
  onCancel: () => void;
  onApplied: (notice: EnrolmentNotice) => void;
}) {
  const form = useForm(applyDeferralRequest, {});
  const [photo, setPhoto] = useState<UploadedPhoto | null>(null);
  const reason = form.values.reason ?? '';

  const submit = () =>
    form.submit(async (body) => {
      onApplied(await enrolmentApi.applyDeferral(notice.id, body));
      toastSuccess('已提交申请');
    });

  return (
    <View className="deferral-box deferral-form">
      <Text className="list-item-title">申请延缓入学</Text>
      <Text className="card-note">
        依照《义务教育法》第十一条，适龄儿童因身体状况需要延缓入学的，由监护人提出申请，经乡镇人民政府或县级教育行政部门批准。请说明孩子的身体状况，并附医院诊断证明等材料的照片。
      </Text>
      <Field label="申请理由" error={form.errors.reason}>
        <Textarea
          className="textarea textarea-small textarea-deferral-reason"
          value={reason}
          maxlength={500}
          placeholder="例如：孩子患病正在住院治疗，医生建议休养一年"
          onInput={(event) => form.set('reason', event.detail.value)}
        />
      </Field>
      <Field label="证明材料照片" error={undefined}>
        <PhotoField
          photo={photo}
          error={form.errors.photoId}
          onChange={(next) => {
            setPhoto(next);
            form.set('photoId', next?.id);
          }}
          upload={enrolmentApi.uploadDocument}
          addText="拍摄或选择证明照片"
          tooLargeHint="请换一张"
          defaultFileName="document.jpg"
        />
      </Field>
      <FormError message={form.formError} />
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" onClick={onCancel}>
          取消
        </Button>
        <Button className="btn btn-primary btn-small" loading={form.submitting} onClick={() => void submit()}>
          提交申请
        </Button>
      </View>
    </View>
  );
}
