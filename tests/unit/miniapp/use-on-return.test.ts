/**
 * useOnReturn (miniapp/src/hooks/use-on-return.ts) over a page whose lifecycle the test drives the
 * way Taro does: a component hears the page's show and hide only from when it has mounted. A list
 * that mounts once its data has loaded — after the page's first show — must still reload on the
 * first return to the page (a complaint just filed, a notice's read count).
 */
const mockPage = { show: new Set<() => void>(), hide: new Set<() => void>() };

jest.mock('@tarojs/taro', () => {
  const { useEffect, useRef } = jest.requireActual<typeof import('react')>('react');
  const lifecycle = (kind: 'show' | 'hide') => (callback: () => void) => {
    const latest = useRef(callback);
    latest.current = callback;
    useEffect(() => {
      const listener = () => latest.current();
      mockPage[kind].add(listener);
      return () => void mockPage[kind].delete(listener);
    }, []);
  };
  return { __esModule: true, default: {}, useDidShow: lifecycle('show'), useDidHide: lifecycle('hide') };
});

import { act, createElement, type ReactNode } from 'react';
import { useOnReturn } from '../../../miniapp/src/hooks/use-on-return';

interface Root {
  render(node: ReactNode): void;
  unmount(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: Window } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createRoot } = require('react-dom/client') as { createRoot: (container: Element) => Root };
const dom = new JSDOM('<!doctype html><div id="root"></div>');
Object.assign(globalThis, { window: dom.window, document: dom.window.document, IS_REACT_ACT_ENVIRONMENT: true });

let root: Root;
let reloads: number;
beforeEach(() => {
  root = createRoot(document.getElementById('root')!);
  reloads = 0;
});
afterEach(() => act(() => root.unmount()));

function List() {
  useOnReturn(() => (reloads += 1));
  return null;
}
const mountList = () => act(() => root.render(createElement(List)));
const fire = (kind: 'show' | 'hide') => act(() => mockPage[kind].forEach((listener) => listener()));

describe('useOnReturn', () => {
  it('does not reload on the page’s first show, and reloads on every return after a hide', async () => {
    await mountList();
    await fire('show');
    expect(reloads).toBe(0);
    await fire('hide');
    await fire('show');
    expect(reloads).toBe(1);
    await fire('hide');
    await fire('show');
    expect(reloads).toBe(2);
  });

  it('reloads on the first return also when the list mounted after the page was shown', async () => {
    await fire('show'); // the page shows while the list's data is still loading
    await mountList();
    expect(reloads).toBe(0);
    await fire('hide'); // off to file a complaint
    await fire('show'); // and back
    expect(reloads).toBe(1);
  });
});
