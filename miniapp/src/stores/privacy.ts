import { createStore } from './create-store';

/**
 * The privacy dialog is one per app but has to be drawn by whichever page is showing, so its state
 * lives here and every page's <Screen> renders it. `ask` waits for the person's answer.
 */
export type PrivacyDialogState = { kind: 'closed' } | { kind: 'ask' } | { kind: 'read' };

export const privacyDialogStore = createStore<PrivacyDialogState>({ kind: 'closed' });

/** The id WeChat checks when onNeedPrivacyAuthorization is resolved with "agree". */
export const PRIVACY_AGREE_BUTTON_ID = 'privacy-agree';

let waiting: Array<(agreed: boolean) => void> = [];

/** Shows the dialog with 同意/不同意 and resolves with the answer. */
export function askPrivacyAgreement(): Promise<boolean> {
  privacyDialogStore.set({ kind: 'ask' });
  return new Promise((resolve) => waiting.push(resolve));
}

/** Shows the guide for reading only, e.g. from 我的. */
export function showPrivacyGuide(): void {
  privacyDialogStore.set({ kind: 'read' });
}

export function answerPrivacyDialog(agreed: boolean): void {
  const resolvers = waiting;
  waiting = [];
  privacyDialogStore.set({ kind: 'closed' });
  resolvers.forEach((resolve) => resolve(agreed));
}
