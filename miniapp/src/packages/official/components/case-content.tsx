import { useEffect, useState, type ComponentProps } from 'react';
import { Button, Text, View } from '@tarojs/components';
import {
  CASE_SOURCES,
  CASE_STATUS_LABELS,
  CaseAction,
  gradeLabel,
  PRIORITY_GROUPS,
  revealTipsterRequest,
  splitTipRequest,
} from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { childFacts } from '../../../components/case-card';
import { ROUTING_RULE_LABELS } from '../../../components/case-labels';
import { DetailRow } from '../../../components/detail-row';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ErrorNotice, Loading } from '../../../components/status';
import { useLoader } from '../../../hooks/use-loader';
import { useOnReturn } from '../../../hooks/use-on-return';
import { PAGES } from '../../../routes';
import { conflictingCase, transfersApi } from '../../../services/case-handling';
import { casesApi, type CaseDetailView } from '../../../services/cases';
import { canReadAudit } from '../../../services/audit';
import { canReviewChildren } from '../../../services/children';
import { messageOf } from '../../../services/request';
import { tipsApi } from '../../../services/tips';
import { confirm, toastSuccess } from '../../../utils/feedback';
import { formatDateTime } from '../../../utils/format';
import { openPage } from '../../../utils/navigation';
import type { CaseEditor } from '../case-editing';
import { ReturnCard } from './attendance';
import { CaseActions } from './case-actions';
import { CaseTip, type Tipster } from './case-tip';
import { ChildMergesCard } from './child-merges';
import { CausesCard } from './causes-card';
import { EscalationCard } from './escalation';
import { NextStepCard } from './next-step';
import { IncomingTransfer, TransferList } from './transfers';
import { VisitList } from './visits';
import '../../../components/timeline.css';
import '../official.css';

type Dialog = { kind: 'reveal'; tipId: string } | { kind: 'split'; tipId: string };
type Panel = ComponentProps<typeof CaseActions>['panel'];

/** Statuses after confirmation, when causes, visits and the ladder matter. */
const CONFIRMED_STATUSES = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];

/**
 * One case, from suspicion to 销号 (BRIEF §4), for the township that handles it, the school on its
 * education line and the county: who the child is, what the tips said, what is due next, and the
 * forms for what the caller may do now. The case page shows it, and so does the desktop inbox's
 * side panel.
 */
export function CaseContent({
  id,
  user,
  onLoaded,
  onOpenCase,
  onLeave,
}: {
  id: string;
  user: Me;
  /** The case as loaded (e.g. for the page title). */
  onLoaded?: (detail: CaseDetailView) => void;
  /** Shows another case instead of this one (after a merge or a split). */
  onOpenCase: (caseId: string) => void;
  /** The case has left the caller's hands (returned to triage, its transfer refused). */
  onLeave: () => void;
}) {
  const detail = useLoader(() => casesApi.get(id), [user.id, id]);
  useOnReturn(() => void detail.reload());
  // A case handed to this unit is not visible until accepted: its transfer is offered instead.
  const incoming = useLoader(() => (detail.error && user.role === 'official' ? transfersApi.incoming() : null), [detail.error, user.role]);
  const transfer = incoming.data?.items.find((item) => item.caseId === id) ?? null;

  const loaded = detail.data;
  useEffect(() => {
    if (loaded) onLoaded?.(loaded);
    // onLoaded is the caller's; only a newly loaded case is news
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);

  return (
    <>
      {transfer && (
        <View className="section">
          <Text className="section-title">有案件移交给本单位</Text>
          <IncomingTransfer
            transfer={transfer}
            onAccepted={(accepted) => {
              toastSuccess('已接收');
              detail.set(accepted);
            }}
            onRejected={() => {
              toastSuccess('已拒绝');
              onLeave();
            }}
          />
        </View>
      )}
      {detail.error && !transfer && !incoming.loading && <ErrorNotice message={detail.error} onRetry={() => void detail.reload()} />}
      {detail.loading && !detail.data && <Loading />}
      {detail.data && (
        <CaseView detail={detail.data} user={user} apply={detail.set} reload={detail.reload} onOpenCase={onOpenCase} onLeave={onLeave} />
      )}
    </>
  );
}

function CaseView({
  detail,
  user,
  apply,
  reload,
  onOpenCase,
  onLeave,
}: {
  detail: CaseDetailView;
  user: Me;
  apply: (detail: CaseDetailView) => void;
  reload: () => Promise<void>;
  onOpenCase: (caseId: string) => void;
  onLeave: () => void;
}) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [tipsters, setTipsters] = useState<Record<string, Tipster>>({});
  const can = (action: CaseAction) => detail.actions.includes(action);

  const editor: CaseEditor = {
    detail,
    reload,
    save: async (send, done) => {
      try {
        const next = await send();
        setConflict(null);
        setPanel(null);
        apply(next);
        toastSuccess(done);
      } catch (failure) {
        const latest = conflictingCase(failure);
        if (latest) {
          apply(latest);
          setConflict(messageOf(failure));
        }
        throw failure;
      }
    },
  };

  const split = async (tipId: string, reason: string) => {
    const created = await casesApi.splitTip(tipId, reason);
    setDialog(null);
    await reload();
    if (await confirm('已拆分为新案件', `这条线索已成为${created.child.name}的新案件。`, '查看新案件')) onOpenCase(created.id);
  };

  const facts = childFacts(detail.child);
  const confirmed = CONFIRMED_STATUSES.includes(detail.status);
  return (
    <>
      {conflict && (
        <View className="notice conflict-notice">
          <Text>{conflict}</Text>
        </View>
      )}
      <View className={detail.overdue ? 'card case-head case-head-overdue' : 'card case-head'}>
        <View className="list-item-head">
          <Text className="case-child-name">{detail.child.name}</Text>
          <View className="tags">
            {detail.overdue && <Text className="tag tag-overdue">已超期</Text>}
            <Text className={`tag tag-status-${detail.status}`}>{CASE_STATUS_LABELS[detail.status]}</Text>
          </View>
        </View>
        {facts && <Text className="list-item-meta">{facts}</Text>}
        {detail.child.priorityGroups.length > 0 && (
          <View className="tags">
            {detail.child.priorityGroups.map((group) => (
              <Text key={group} className="tag tag-priority">
                {PRIORITY_GROUPS[group]}
              </Text>
            ))}
          </View>
        )}
        {detail.child.roster && (
          <DetailRow label="学籍">
            {[
              detail.child.roster.schoolName,
              detail.child.roster.grade ? gradeLabel(detail.child.roster.grade) : null,
              detail.child.roster.className,
            ]
              .filter(Boolean)
              .join(' ')}
          </DetailRow>
        )}
        <DetailRow label="案件编号">{detail.number}</DetailRow>
        <DetailRow label="居住地">{detail.place ?? '不清楚'}</DetailRow>
        <DetailRow label="负责乡镇">{detail.townshipName ?? '县教育局待分派'}</DetailRow>
        {detail.schoolName && <DetailRow label="学校">{detail.schoolName}</DetailRow>}
        <DetailRow label="包抓干部">{detail.assigneeName ?? '尚未指定'}</DetailRow>
        <DetailRow label="来源">
          {detail.tipCount > 0 ? `${CASE_SOURCES[detail.source]}，共 ${detail.tipCount} 条线索` : CASE_SOURCES[detail.source]}
        </DetailRow>
        <DetailRow label="收到时间">{formatDateTime(detail.openedAt)}</DetailRow>
        {detail.confirmedAt && <DetailRow label="确认辍学">{formatDateTime(detail.confirmedAt)}</DetailRow>}
      </View>

      <NextStepCard detail={detail} />

      <CaseActions
        editor={editor}
        user={user}
        panel={panel}
        onPanel={setPanel}
        onMerged={(into) => {
          toastSuccess('已合并');
          onOpenCase(into.id);
        }}
        onReturnedToTriage={() => {
          toastSuccess('已退回');
          onLeave();
        }}
      />

      {(confirmed || detail.causes.length > 0) && <CausesCard editor={editor} canEdit={can(CaseAction.setCauses)} />}
      {(confirmed || detail.visits.length > 0) && <VisitList visits={detail.visits} />}
      {(detail.escalationSteps.length > 0 || detail.notices.length > 0) && (
        <EscalationCard editor={editor} canDeliver={can(CaseAction.deliverNotice)} />
      )}
      <ReturnCard editor={editor} canRecord={can(CaseAction.recordAttendance)} />
      <TransferList transfers={detail.transfers} />
      {canReviewChildren(user) && <ChildMergesCard childId={detail.childId} onSplit={reload} />}
      {canReadAudit(user) && (
        <Button
          className="btn btn-plain btn-block who-has-seen"
          onClick={() => openPage(PAGES.auditLog, { childId: detail.childId, childName: detail.child.name })}
        >
          谁查看过此记录
        </Button>
      )}

      <View className="section">
        <Text className="section-title">线索（{detail.tips.length}）</Text>
        {detail.tips.map((tip, index) => (
          <CaseTip
            key={tip.id}
            tip={tip}
            index={index}
            tipster={tipsters[tip.id] ?? null}
            onReveal={can(CaseAction.revealTipster) ? () => setDialog({ kind: 'reveal', tipId: tip.id }) : null}
            onSplit={can(CaseAction.split) ? () => setDialog({ kind: 'split', tipId: tip.id }) : null}
          />
        ))}
      </View>

      <View className="card">
        <Text className="card-title">分派记录</Text>
        {detail.routings.length === 0 && <Text className="list-item-meta">暂无</Text>}
        {detail.routings.map((routing, index) => (
          <View key={`${routing.at}-${index}`} className="history-item">
            <Text className="history-title">
              {routing.townshipCode ? `分派到${routing.townshipName ?? routing.townshipCode}` : '转县教育局分派'}
              {routing.schoolName ? `，同时告知${routing.schoolName}` : ''}
            </Text>
            <Text className="list-item-meta">
              {formatDateTime(routing.at)} · {ROUTING_RULE_LABELS[routing.rule]}
              {routing.byName ? ` · ${routing.byName}` : ''}
            </Text>
            {routing.reason && <Text className="history-note">原因：{routing.reason}</Text>}
          </View>
        ))}
      </View>

      <View className="card">
        <Text className="card-title">办理记录</Text>
        {detail.events.length === 0 && <Text className="list-item-meta">暂无</Text>}
        <View className="timeline">
          {detail.events.map((event, index) => (
            <View key={`${event.at}-${index}`} className="timeline-item timeline-item-done">
              <View className="timeline-dot" />
              <View className="timeline-text">
                <Text className="timeline-title">{event.summary}</Text>
                <Text className="timeline-meta">
                  {formatDateTime(event.at)}
                  {event.byName ? ` · ${event.byName}` : ''}
                </Text>
              </View>
            </View>
          ))}
        </View>
      </View>

      {dialog?.kind === 'reveal' && (
        <ReasonDialog
          title="查看线索提供人"
          note="为保护提供人，查看需说明理由，查看记录会留存备查。"
          placeholder="例如：线索中的住址不清，需要向提供人核实"
          confirmText="查看"
          schema={revealTipsterRequest}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            const tipster = await tipsApi.reveal(dialog.tipId, reason);
            setTipsters((current) => ({ ...current, [dialog.tipId]: tipster }));
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'split' && (
        <ReasonDialog
          title="拆分为新案件"
          note="这条线索说的不是本案件的孩子时，把它拆分出来单独办理。"
          placeholder="例如：同名不同人，年龄和住址都不一致"
          confirmText="拆分"
          schema={splitTipRequest}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => split(dialog.tipId, reason)}
        />
      )}
    </>
  );
}
