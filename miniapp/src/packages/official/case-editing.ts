import { caseTransitionRequest } from '@baoxue/shared';
import type { CaseTransition } from '@baoxue/shared';
import type { z } from 'zod';
import type { CaseDetailView } from '../../services/cases';

type TransitionOption = (typeof caseTransitionRequest.options)[number];
type TransitionName = z.output<TransitionOption>['transition'];
export type TransitionSchema<T extends TransitionName> = Extract<TransitionOption, { shape: { transition: z.ZodLiteral<T> } }>;

/**
 * The shared schema of one transition of caseTransitionRequest (e.g. `confirm` with its causes), so
 * a form validates exactly what the server will for that step.
 */
export function transitionSchema<T extends TransitionName & CaseTransition>(transition: T): TransitionSchema<T> {
  const option = caseTransitionRequest.options.find((candidate) => candidate.shape.transition.value === transition);
  if (!option) throw new Error(`no transition ${transition} in the contract`);
  return option as TransitionSchema<T>;
}

/** What every form on the case page needs: the case on screen and how to send an edit of it. */
export interface CaseEditor {
  detail: CaseDetailView;
  /**
   * Sends an edit whose answer is the case as it is now, shows that, and says `done`. When someone
   * else changed the case first, the latest state is shown instead and the error is rethrown for
   * the form to show beside its button.
   */
  save: (send: () => Promise<CaseDetailView>, done: string) => Promise<void>;
  /** Loads the case again after an edit that does not answer with it (attendance, a notice). */
  reload: () => Promise<void>;
}
