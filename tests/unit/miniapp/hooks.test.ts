/**
 * The mini program's data and action hooks, rendered with React DOM in jsdom: a page loads once per
 * change of what it shows (never again because its parent rendered), a button's work runs once per
 * tap, and a failure is told where the page asked.
 */
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: { getStorageSync: jest.fn(() => ''), setStorageSync: jest.fn(), removeStorageSync: jest.fn(), showModal: jest.fn() },
}));

import { act, createElement, type ReactNode } from 'react';
import { useAction, type Action, type ActionOptions } from '../../../miniapp/src/hooks/use-action';
import { useLoader, type Loaded } from '../../../miniapp/src/hooks/use-loader';
import { usePagedList, type Page, type PagedList } from '../../../miniapp/src/hooks/use-paged-list';
import { ApiError } from '../../../miniapp/src/services/request';

// Neither jsdom nor react-dom ships types (as in tests/support/weapp.ts); only these are used here.
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
beforeEach(() => {
  root = createRoot(document.getElementById('root')!);
});
afterEach(() => act(() => root.unmount()));

/** Renders `use` with `props`; the latest result is in `current`. */
async function mount<P, R>(use: (props: P) => R, props: P) {
  const result = { current: undefined as R, rerender: async (_next: P) => undefined as void };
  function Probe(probe: { props: P }) {
    result.current = use(probe.props);
    return null;
  }
  result.rerender = async (next: P) => {
    await act(async () => root.render(createElement(Probe, { props: next })));
  };
  await result.rerender(props);
  return result;
}

describe('useLoader', () => {
  it('loads once per change of its dependencies, whatever the parent renders, and reloads with the latest load', async () => {
    const calls: string[] = [];
    const use = ({ id, label }: { id: string; label: string }): Loaded<string> =>
      useLoader(() => {
        calls.push(`${id}:${label}`);
        return Promise.resolve(`${id}:${label}`);
      }, [id]);

    const page = await mount(use, { id: 'a', label: 'first' });
    expect(calls).toEqual(['a:first']);
    expect(page.current.data).toBe('a:first');

    // A new inline `load` and other props, same dependencies: no request.
    await page.rerender({ id: 'a', label: 'second' });
    await page.rerender({ id: 'a', label: 'second' });
    expect(calls).toEqual(['a:first']);

    await act(() => page.current.reload());
    expect(calls).toEqual(['a:first', 'a:second']);
    expect(page.current.data).toBe('a:second');

    await page.rerender({ id: 'b', label: 'second' });
    expect(calls).toEqual(['a:first', 'a:second', 'b:second']);
    expect(page.current.data).toBe('b:second');
  });

  it('waits while the load says there is nothing to load yet', async () => {
    let requests = 0;
    const use = ({ userId }: { userId: string | null }) => useLoader(() => (userId ? Promise.resolve(++requests) : null), [userId]);
    const page = await mount(use, { userId: null as string | null });
    expect(page.current).toMatchObject({ data: null, loading: false });
    await page.rerender({ userId: 'u1' });
    await page.rerender({ userId: 'u1' });
    expect(page.current.data).toBe(1);
    expect(requests).toBe(1);
  });
});

describe('usePagedList', () => {
  it('fetches the first page once per change of its dependencies and further pages on demand', async () => {
    const cursors: Array<string | undefined> = [];
    const use = ({ filter }: { filter: string }): PagedList<string, Page<string>> =>
      usePagedList<Page<string>>(
        (cursor) => {
          cursors.push(cursor);
          return Promise.resolve(cursor ? { items: [`${filter}2`], nextCursor: null } : { items: [`${filter}1`], nextCursor: 'next' });
        },
        [filter],
      );

    const list = await mount(use, { filter: 'x' });
    await list.rerender({ filter: 'x' });
    expect(cursors).toEqual([undefined]);
    expect(list.current.items).toEqual(['x1']);

    await act(() => list.current.loadMore());
    expect(cursors).toEqual([undefined, 'next']);
    expect(list.current).toMatchObject({ items: ['x1', 'x2'], hasMore: false });

    await list.rerender({ filter: 'y' });
    expect(cursors).toEqual([undefined, 'next', undefined]);
    expect(list.current.items).toEqual(['y1']);
  });
});

describe('useAction', () => {
  const use = ({ work, options }: { work: (n: number) => Promise<unknown>; options?: ActionOptions }): Action<[number]> =>
    useAction(work, options);

  it('runs once while a tap is in flight and says which call spins', async () => {
    let finish: () => void = () => undefined;
    const work = jest.fn((_n: number) => new Promise<void>((resolve) => (finish = resolve)));
    const button = await mount(use, { work });

    let first: Promise<void> = Promise.resolve();
    await act(async () => {
      first = button.current.run(1);
      void button.current.run(2);
    });
    expect(work).toHaveBeenCalledTimes(1);
    expect(button.current).toMatchObject({ busy: true, running: [1] });

    await act(async () => {
      finish();
      await first;
    });
    expect(button.current).toMatchObject({ busy: false, running: null, error: null });
  });

  it('keeps an inline failure, in the words the page chose, until the next run or until cleared', async () => {
    const refusal = new ApiError(400, 'VALIDATION_FAILED', '请检查填写的内容', { reason: '原因至少写5个字' });
    const work = jest.fn((_n: number) => Promise.reject(refusal));
    const describe = (failure: unknown) => (failure instanceof ApiError ? (failure.fields.reason ?? failure.message) : '?');
    const button = await mount(use, { work, options: { errorIn: 'inline', describe } });

    await act(() => button.current.run(1));
    expect(button.current).toMatchObject({ busy: false, error: '原因至少写5个字' });

    await act(async () => button.current.clearError());
    expect(button.current.error).toBeNull();

    await act(() => button.current.run(1));
    await act(() => button.current.retry());
    expect(work).toHaveBeenCalledTimes(3);
    expect(button.current.error).toBe('原因至少写5个字');
  });

  it('stays busy after a success when asked, and not after a failure', async () => {
    let fail = true;
    const work = jest.fn(() => (fail ? Promise.reject(new Error('offline')) : Promise.resolve()));
    const button = await mount(use, { work, options: { errorIn: 'inline', staysBusy: true } });

    await act(() => button.current.run(1));
    expect(button.current).toMatchObject({ busy: false, error: '操作没有完成，请稍后再试' });

    fail = false;
    await act(() => button.current.run(1));
    expect(button.current.busy).toBe(true);
    await act(() => button.current.run(1));
    expect(work).toHaveBeenCalledTimes(2);
  });
});
