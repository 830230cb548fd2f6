import { ERROR_GROUPS, ERRORS, type ErrorCode } from '@baoxue/shared';
import { isServerFailure, toAppError } from '../../../server/src/common/errors/error.filter';
import { AppError } from '../../../server/src/common/errors/app-error';

const PREFIXES: Record<Exclude<keyof typeof ERROR_GROUPS, 'common'>, RegExp> = {
  children: /^CHILD_/,
  cases: /^CASE_/,
  tips: /^TIP_/,
  invitations: /^INVITATION_/,
  guardians: /^(BINDING|GUARDIANS)_/,
  enrolment: /^DEFERRAL_/,
  leave: /^LEAVE_/,
  rollCalls: /^ROLL_CALL_/,
  pupilChanges: /^PUPIL_CHANGE_/,
  subsidies: /^COMPLAINT_/,
  registry: /^CROSSCHECK_/,
  reports: /^REPORT_/,
  spotChecks: /^SPOT_CHECK_/,
};

describe('the error table', () => {
  it('merges every module group, each code once, named by its module', () => {
    const grouped = Object.values(ERROR_GROUPS).flatMap((group) => Object.keys(group));
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(Object.keys(ERRORS).sort()).toEqual([...grouped].sort());
    for (const [module, prefix] of Object.entries(PREFIXES)) {
      for (const code of Object.keys(ERROR_GROUPS[module as keyof typeof PREFIXES])) expect(code).toMatch(prefix);
    }
  });

  it('gives every code a stable English name, a 4xx/5xx status and a Chinese default message', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+[A-Z]$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('answers refusals of state with 409 and limits with 429', () => {
    const conflicts: ErrorCode[] = ['CASE_STEP_OUT_OF_ORDER', 'CASE_CLOSED', 'CASE_TRANSFER_PENDING', 'TIP_KEY_REUSED', 'GUARDIANS_FULL'];
    for (const code of conflicts) expect(ERRORS[code].status).toBe(409);
    expect(ERRORS.TIP_DAILY_LIMIT.status).toBe(429);
  });

  it('logs only server failures', () => {
    for (const spec of Object.values(ERRORS)) expect(isServerFailure(spec.status)).toBe(spec.status >= 500);
  });

  it('uses the default message of a code unless the throw gives one, and keeps its status', () => {
    expect(new AppError('CASE_TRANSFER_DECIDED')).toMatchObject({ status: 409, message: '该移交已处理' });
    expect(new AppError('CASE_CLOSED', '案件已结案，不能再分派')).toMatchObject({ status: 409, message: '案件已结案，不能再分派' });
    expect(toAppError(new AppError('TIP_SINGLE_ON_CASE')).code).toBe('TIP_SINGLE_ON_CASE');
    expect(AppError.conflict('x', { id: 1 })).toMatchObject({ code: 'CONFLICT', status: 409, current: { id: 1 } });
  });
});
