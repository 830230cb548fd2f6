import { useEffect, useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { REPORT_EXPLANATION_MAX, REPORT_KINDS, reopenReportRequest, returnReportRequest } from '@baoxue/shared';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useLoader } from '../../../../hooks/use-loader';
import { reportsApi, type Report } from '../../../../services/reports';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { REPORT_STATUS_TEXT, shownStatus } from '../../report-labels';
import '../../../../components/subpackage.css';
import '../../reports.css';

const EVENT_TEXT: Record<Report['history'][number]['action'], string> = {
  generate: '生成',
  refresh: '重新生成数据',
  edit: '填写说明',
  submit: '上报',
  approve: '审核通过',
  return: '退回',
  reopen: '重新打开',
};

/**
 * One periodic report: its figures beside last period's, the unit's written explanation, where it
 * stands, and what the caller may do now — the unit refreshes the figures and sends it up (上报), the
 * level above approves it, returns it with a comment or reopens an approved one with a reason — and
 * the .xlsx in the layout officials hand in. The server says which actions the caller may take.
 */
export default function ReportPage() {
  const { id } = useRouter().params;
  const report = useLoader(() => (id ? reportsApi.get(id) : null), [id]);
  return (
    <Screen className="list-page report-page">
      {report.error && <ErrorNotice message={report.error} onRetry={() => void report.reload()} />}
      {report.loading && !report.data && <Loading />}
      {report.data && <ReportBody report={report.data} onChange={report.set} />}
    </Screen>
  );
}

function ReportBody({ report, onChange }: { report: Report; onChange: (report: Report) => void }) {
  const can = (action: Report['actions'][number]) => report.actions.includes(action);
  const [explanation, setExplanation] = useState(report.explanation ?? '');
  const [dialog, setDialog] = useState<'return' | 'reopen' | null>(null);
  useEffect(() => setExplanation(report.explanation ?? ''), [report.explanation]);
  const edited = explanation.trim() !== (report.explanation ?? '');

  const refreshing = useAction(async () => {
    onChange(await reportsApi.open({ kind: report.kind, period: report.period, unit: report.unit.id }));
    toastSuccess('数据已重新生成');
  });
  const saving = useAction(async () => {
    onChange(await reportsApi.update(report.id, { explanation: explanation.trim() || null }));
    toastSuccess('说明已保存');
  });
  const submitting = useAction(async () => {
    if (!(await confirm('上报', `上报后由${report.toLabel}审核，审核前不能修改。数字将按最新数据重新生成。`, '上报'))) return;
    onChange(await reportsApi.submit(report.id, explanation.trim() ? { explanation: explanation.trim() } : {}));
    toastSuccess('已上报');
  });
  const approving = useAction(async () => {
    if (!(await confirm('审核通过', '审核通过后报告的数字锁定，不再随数据变化。', '审核通过'))) return;
    onChange(await reportsApi.approve(report.id, {}));
    toastSuccess('已审核通过');
  });
  const exporting = useAction(async () => {
    await reportsApi.export(report);
    toastSuccess('报告已导出');
  });
  const decide = async (text: string) => {
    onChange(
      dialog === 'return' ? await reportsApi.return(report.id, { comment: text }) : await reportsApi.reopen(report.id, { reason: text }),
    );
    toastSuccess(dialog === 'return' ? '已退回' : '已重新打开');
    setDialog(null);
  };

  return (
    <>
      <ReportHead report={report} />
      <FiguresCard report={report} />
      <View className="card report-explanation">
        <Text className="card-title">情况说明</Text>
        {can('edit') ? (
          <>
            <Textarea
              className="textarea"
              value={explanation}
              maxlength={REPORT_EXPLANATION_MAX}
              placeholder="对本期数字的说明，如：某村新增疑似辍学较多的原因、劝返进展、存在的困难"
              onInput={(event) => setExplanation(event.detail.value)}
            />
            {edited && (
              <Button className="btn btn-plain btn-small" loading={saving.busy} onClick={() => void saving.run()}>
                保存说明
              </Button>
            )}
          </>
        ) : (
          <Text className="list-item-line">{report.explanation || '无'}</Text>
        )}
      </View>
      <View className="report-actions">
        {can('submit') && (
          <Button className="btn btn-primary btn-block" loading={submitting.busy} onClick={() => void submitting.run()}>
            上报
          </Button>
        )}
        {can('refresh') && (
          <Button className="btn btn-plain btn-block" loading={refreshing.busy} onClick={() => void refreshing.run()}>
            刷新数据
          </Button>
        )}
        {can('approve') && (
          <Button className="btn btn-primary btn-block" loading={approving.busy} onClick={() => void approving.run()}>
            审核通过
          </Button>
        )}
        {can('return') && (
          <Button className="btn btn-danger btn-block" onClick={() => setDialog('return')}>
            退回
          </Button>
        )}
        {can('reopen') && (
          <Button className="btn btn-plain btn-block" onClick={() => setDialog('reopen')}>
            重新打开
          </Button>
        )}
        <Button className="btn btn-plain btn-block" loading={exporting.busy} onClick={() => void exporting.run()}>
          导出 Excel
        </Button>
      </View>
      <History report={report} />
      {dialog === 'return' && (
        <ReasonDialog
          title="退回报告"
          note={`请写明需要更正或补充的内容，${report.unit.name}会看到，改正后重新上报。`}
          placeholder="如：新增疑似辍学数与台账不符，请核对后重新上报"
          confirmText="退回"
          schema={returnReportRequest}
          field="comment"
          onConfirm={decide}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog === 'reopen' && (
        <ReasonDialog
          title="重新打开报告"
          note={`已审核通过的报告重新打开后退回${report.unit.name}，可重新生成数据后再上报。请写明原因，将记入审计日志。`}
          placeholder="如：督导抽查发现销号数有误，需重新核对"
          confirmText="重新打开"
          schema={reopenReportRequest}
          field="reason"
          onConfirm={decide}
          onCancel={() => setDialog(null)}
        />
      )}
    </>
  );
}

function ReportHead({ report }: { report: Report }) {
  const status = shownStatus(report.status, report.history);
  return (
    <View className="card report-head">
      <Text className="card-title">
        {report.unit.name}
        {report.periodLabel}
        {REPORT_KINDS[report.kind]}
      </Text>
      <View className="report-tags">
        <Text className={`report-status report-status-${status}`}>{REPORT_STATUS_TEXT[status]}</Text>
        {report.late && <Text className="report-status report-late">已逾期</Text>}
      </View>
      {report.reviewComment && (status === 'returned' || status === 'reopened') && (
        <Text className="report-comment">
          {status === 'reopened' ? '重新打开的原因' : '退回意见'}：{report.reviewComment}
        </Text>
      )}
      <Text className="report-meta">
        上报至{report.toLabel} · 统计期间 {report.from} 至 {report.to}
      </Text>
      <Text className="report-meta">上报期限 {report.dueOn}</Text>
      {report.submittedAt && (
        <Text className="report-meta">
          上报：{report.submittedByName ?? '—'} · {formatDateTime(report.submittedAt)}
        </Text>
      )}
      {report.approvedAt && (
        <Text className="report-meta">
          审核通过：{report.approvedByName ?? '—'} · {formatDateTime(report.approvedAt)}
        </Text>
      )}
    </View>
  );
}

/** Every figure with 本期 and 上期, by section, as the .xlsx prints them. */
function FiguresCard({ report }: { report: Report }) {
  const previous = `上期（${report.previous.periodLabel}${report.previous.source === 'approved' ? '，已审核' : ''}）`;
  let section = '';
  return (
    <View className="card report-figures">
      <Text className="card-title">报告数字</Text>
      <View className="report-line report-line-head">
        <Text className="report-line-label">项目</Text>
        <Text className="report-line-value">本期</Text>
        <Text className="report-line-value">{previous}</Text>
      </View>
      {report.lines.map((line) => {
        const heading = line.section !== section ? line.section : null;
        section = line.section;
        return (
          <View key={line.key}>
            {heading && <Text className="report-section">{heading}</Text>}
            <View className="report-line">
              <Text className="report-line-label">{line.label}</Text>
              <Text className="report-line-value report-line-current">{line.current}</Text>
              <Text className="report-line-value report-line-previous">{line.previous}</Text>
            </View>
          </View>
        );
      })}
      <Text className="report-meta">
        {report.status === 'approved' ? '已审核通过，数字已锁定，不随数据变化' : '数字按本单位本期数据生成'} · 生成于{' '}
        {formatDateTime(report.generatedAt)}
      </Text>
      <Text className="report-meta">只含汇总数字，不含任何学生的个人信息。</Text>
    </View>
  );
}

function History({ report }: { report: Report }) {
  if (report.history.length === 0) return null;
  return (
    <View className="card report-history">
      <Text className="card-title">办理记录</Text>
      {report.history.map((event, index) => (
        <View key={`${event.at}-${index}`} className="report-history-item">
          <Text className="list-item-line">
            {EVENT_TEXT[event.action]} · {event.byName ?? '—'}
          </Text>
          <Text className="list-item-meta">{formatDateTime(event.at)}</Text>
          {event.comment && <Text className="history-note">{event.comment}</Text>}
        </View>
      ))}
    </View>
  );
}
