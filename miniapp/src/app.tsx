import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { listenForPrivacyAuthorization } from './services/privacy';
import { rollCallOutbox } from './services/roll-call-outbox';
import { tipOutbox } from './services/tip-outbox';
import { startAccessibility } from './utils/a11y';
import { adaptTaroComponents } from './utils/taro-components';
import './app.css';

adaptTaroComponents();

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyAuthorization();
    // the browser build: roles, keyboard focus and input labels for Taro's components
    startAccessibility();
    // Tips left on the phone by an earlier run go now, and whenever the network returns.
    tipOutbox.start();
    // So do roll calls a teacher took without signal.
    rollCallOutbox.start();
  });
  useDidShow(() => {
    void tipOutbox.flush();
    void rollCallOutbox.flush();
  });
  // Taro renders the current page as children.
  return children;
}
