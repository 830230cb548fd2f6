import { useState, type ReactNode } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { CASE_ACTION_LABELS, CaseAction, caseTransitionRequest, returnToTriageRequest } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Field, FormError } from '../../../components/field';
import { ReasonDialog } from '../../../components/reason-dialog';
import { RouteCaseForm } from '../../../components/route-case-form';
import { useAction } from '../../../hooks/use-action';
import { useForm } from '../../../hooks/use-form';
import { caseHandlingApi } from '../../../services/case-handling';
import { casesApi, type CaseDetailView } from '../../../services/cases';
import { transitionSchema, type CaseEditor } from '../case-editing';
import { AcceptPanel, ChangeAssigneePanel } from './accept-panel';
import { EscalateForm } from './escalation';
import { MergePanel } from './merge-panel';
import { ReturnForm } from './return-form';
import { TransferForm } from './transfers';
import { ConfirmForm, NotDropoutForm, StartVerificationForm } from './verification-forms';
import { VisitForm } from './visits';

const closeSchema = transitionSchema('close');

/** Actions that open a form in the 办理 card, in the order a case normally takes them. */
const PANELS = [
  { action: CaseAction.accept, primary: true },
  { action: CaseAction.route, primary: true },
  { action: CaseAction.confirmEnrolment, primary: true },
  { action: CaseAction.startVerification, primary: true },
  { action: CaseAction.confirm, primary: true },
  { action: CaseAction.closeNotDropout, primary: false },
  { action: CaseAction.logVisit, primary: true },
  { action: CaseAction.escalate, primary: false },
  { action: CaseAction.recordReturn, primary: true },
  { action: CaseAction.close, primary: true },
  { action: CaseAction.setAssignee, primary: false },
  { action: CaseAction.transfer, primary: false },
  { action: CaseAction.merge, primary: false },
] as const;
type PanelAction = (typeof PANELS)[number]['action'];

interface Props {
  editor: CaseEditor;
  user: Me;
  /** The panel open now (one at a time); the page closes it after a successful edit. */
  panel: PanelAction | null;
  onPanel: (panel: PanelAction | null) => void;
  onMerged: (into: CaseDetailView) => void;
  onReturnedToTriage: () => void;
}

/**
 * 办理: what the caller may do with the case now, as the server lists it in `actions`, each opening
 * its form. Nothing is offered that the server would refuse for this person and status.
 */
export function CaseActions({ editor, user, panel, onPanel, onMerged, onReturnedToTriage }: Props) {
  const { detail } = editor;
  const [dialog, setDialog] = useState<'reopen' | 'return' | null>(null);
  const can = (action: CaseAction) => detail.actions.includes(action);
  const offered = PANELS.filter((entry) => can(entry.action) && (entry.action !== CaseAction.escalate || detail.nextEscalationStep));
  if (offered.length === 0 && !can(CaseAction.reopen) && !can(CaseAction.returnToTriage)) return null;

  const forms: Record<PanelAction, () => ReactNode> = {
    accept: () => <AcceptPanel editor={editor} userId={user.id} />,
    route: () => (
      <RouteCaseForm
        caseId={detail.id}
        countyCode={detail.countyCode}
        onRouted={(routed) => void editor.save(() => Promise.resolve(routed), '已分派')}
      />
    ),
    confirm_enrolment: () => <ConfirmEnrolmentPanel editor={editor} />,
    start_verification: () => <StartVerificationForm editor={editor} />,
    confirm: () => <ConfirmForm editor={editor} />,
    close_not_dropout: () => <NotDropoutForm editor={editor} />,
    log_visit: () => <VisitForm editor={editor} visitorName={user.displayName} />,
    escalate: () => <EscalateForm editor={editor} />,
    record_return: () => <ReturnForm editor={editor} />,
    close: () => <ClosePanel editor={editor} />,
    set_assignee: () => <ChangeAssigneePanel editor={editor} />,
    transfer: () => <TransferForm editor={editor} />,
    merge: () => <MergePanel detail={detail} onMerged={onMerged} />,
  };

  return (
    <View className="card case-actions">
      <Text className="card-title">办理</Text>
      {offered.map((entry) => (
        <View key={entry.action} className={`case-action case-action-${entry.action}`}>
          <Button
            className={`btn btn-block ${entry.primary && panel !== entry.action ? 'btn-primary' : 'btn-plain'}`}
            onClick={() => onPanel(panel === entry.action ? null : entry.action)}
          >
            {panel === entry.action ? `收起：${CASE_ACTION_LABELS[entry.action]}` : CASE_ACTION_LABELS[entry.action]}
          </Button>
          {panel === entry.action && forms[entry.action]()}
        </View>
      ))}
      {can(CaseAction.reopen) && (
        <Button className="btn btn-danger btn-block" onClick={() => setDialog('reopen')}>
          {CASE_ACTION_LABELS.reopen}
        </Button>
      )}
      {can(CaseAction.returnToTriage) && (
        <Button className="btn btn-danger btn-block" onClick={() => setDialog('return')}>
          {CASE_ACTION_LABELS.return_to_triage}
        </Button>
      )}
      {dialog === 'reopen' && (
        <ReasonDialog
          title="重新劝返"
          note="孩子返校后又不到校时重新打开案件，回到劝返；原因会记入办理记录。"
          placeholder="例如：返校两周后又连续多天未到校"
          confirmText="重新劝返"
          schema={caseTransitionRequest}
          extra={{ transition: 'reopen', version: detail.version }}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            await editor.save(
              () => caseHandlingApi.transition(detail.id, { transition: 'reopen', version: detail.version, reason }),
              '已重新打开',
            );
            setDialog(null);
          }}
        />
      )}
      {dialog === 'return' && (
        <ReasonDialog
          title="非本乡镇，退回县级分派"
          note="退回后案件回到县教育局的待分派队列，由县里重新分派；原因会记入分派记录。"
          placeholder="例如：该村已划归其他乡镇，孩子实际住在寨河镇"
          confirmText="退回"
          schema={returnToTriageRequest}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            await casesApi.returnToTriage(detail.id, reason);
            setDialog(null);
            onReturnedToTriage();
          }}
        />
      )}
    </View>
  );
}

/** 销号: attendance after the return meets the county's rule; the case closes and re-checks are scheduled. */
function ClosePanel({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const form = useForm(closeSchema, { transition: 'close', note: null });
  const submit = () =>
    form.submit((body) => editor.save(() => caseHandlingApi.transition(detail.id, body), '已销号'), { version: detail.version });
  const attendance = detail.attendance;

  return (
    <View className="action-panel close-form">
      {attendance && (
        <Text className="list-item-line">
          返校后前{attendance.window}个上学日出勤{attendance.present}天（要求至少{attendance.required}天），已满足销号条件。
        </Text>
      )}
      <Field label="说明（选填）" error={form.errors.note}>
        <Textarea
          className="textarea textarea-small textarea-note"
          value={form.values.note ?? ''}
          maxlength={200}
          placeholder="例如：学校确认已正常上学一个月"
          onInput={(event) => form.set('note', event.detail.value || null)}
        />
      </Field>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void submit()}>
        确认销号
      </Button>
      <Text className="field-hint">销号后按本县规定定期复查，再次辍学的重新打开劝返。</Text>
    </View>
  );
}

/** The receiving school confirms a transferred child attends; the case then closes as 已转学. */
function ConfirmEnrolmentPanel({ editor }: { editor: CaseEditor }) {
  const { detail } = editor;
  const confirming = useAction(() => editor.save(() => caseHandlingApi.confirmEnrolment(detail.id), '已确认'), { errorIn: 'inline' });
  return (
    <View className="action-panel confirm-enrolment">
      <Text className="list-item-line">请核实{detail.child.name}已在本校注册并正常上学。确认后案件按“已转学”结案。</Text>
      {confirming.error && <Text className="field-error">{confirming.error}</Text>}
      <Button className="btn btn-primary btn-block" loading={confirming.busy} onClick={() => void confirming.run()}>
        确认已在本校就读
      </Button>
    </View>
  );
}
