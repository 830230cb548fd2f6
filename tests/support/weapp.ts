import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// jsdom ships no types (and @types/jsdom is not installed); only its constructor is used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string, options: { pretendToBeVisual: boolean }) => { window: Window } };

/**
 * Runs the real WeChat build (miniapp/dist/weapp) with WeChat's own template compiler and
 * component framework (miniprogram-simulate: wcc + exparser), as PLATFORM.md describes. The `wx`
 * object is a stub whose `request` goes to the test server and whose `login` gets a code from the
 * fake WeChat API, so a page rendered here talks to a real server.
 *
 * Taro keeps its state in module globals: one app per test file (jest gives each file its own).
 */
export const WEAPP_DIST = process.env.BX_WEAPP_DIST ?? resolve(__dirname, '../../miniapp/dist/weapp');

export interface Navigation {
  api: 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch' | 'navigateBack';
  url: string;
}

export interface WeappEnvironment {
  /** Every wx.request URL, as the build asked for it (before rewriting to the test server). */
  requests: string[];
  navigations: Navigation[];
  modals: Array<{ title?: string; content?: string }>;
  toasts: string[];
  storage: Map<string, unknown>;
  /** What wx.getPrivacySetting answers; an agreePrivacyAuthorization tap records agreement, as WeChat does. */
  privacy: { needAuthorization: boolean };
  /** Calls of wx.chooseMessageFile, a privacy API; each is answered as cancelled. */
  fileChoices: Array<Record<string, unknown>>;
  /** Calls of wx.chooseMedia (photos), a privacy API; each is answered as cancelled. */
  mediaChoices: Array<Record<string, unknown>>;
  /** Calls of wx.requestSubscribeMessage, answered with `subscribeAnswer` for every template. */
  subscribeRequests: Array<{ tmplIds: string[] }>;
  subscribeAnswer: 'accept' | 'reject';
  /** The tab bar's badges as set and removed (`text` null when removed). */
  badges: Array<{ index: number; text: string | null }>;
  /** Tells the app the network went away or came back, as wx.onNetworkStatusChange does. */
  setNetwork(isConnected: boolean): void;
  /** Renders a page of the build as WeChat would show it and waits for it to settle. */
  open(pagePath: string, query?: Record<string, string>): Promise<WeappPage>;
}

/** A rendered page: its text, and taps and inputs that go through Taro to React. */
export interface WeappPage {
  path: string;
  text(): string;
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  /** Taps the innermost element with this class whose text contains `text`. */
  tap(className: string, text?: string): Promise<void>;
  /** Sends a custom event (e.g. `agreeprivacyauthorization`) the way the native button would. */
  trigger(className: string, eventName: string, text?: string): Promise<void>;
  input(className: string, value: string): Promise<void>;
  close(): void;
}

interface SimulateNode {
  dom: Element;
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
  querySelectorAll(selector: string): SimulateNode[];
}

interface SimulateComponent extends SimulateNode {
  attach(parent: Element): void;
  detach(): void;
  instance: Record<string, unknown>;
}

interface Simulate {
  load(path: string, options: { rootPath: string; compiler: 'official' }): string;
  render(id: string, properties?: Record<string, unknown>): SimulateComponent;
}

type Callbacks<T> = { success?: (result: T) => void; fail?: (error: { errMsg: string }) => void; complete?: (result: unknown) => void };

function answer<T>(options: Callbacks<T> | undefined, result: T): void {
  options?.success?.(result);
  options?.complete?.(result);
}

function refuse<T>(options: Callbacks<T> | undefined, errMsg: string): void {
  options?.fail?.({ errMsg });
  options?.complete?.({ errMsg });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Installs jsdom, the stubbed `wx` and the App/Page constructors, then loads the app. */
export function startWeapp({ apiOrigin, wechatBaseUrl }: { apiOrigin: string; wechatBaseUrl: string }): WeappEnvironment {
  if (!existsSync(join(WEAPP_DIST, 'app.json'))) {
    throw new Error(`no weapp build at ${WEAPP_DIST}: run npm run build:weapp (npm test does it when the build is missing)`);
  }

  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  const globals = globalThis as Record<string, unknown>;
  globals.window = dom.window;
  for (const name of ['document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver']) {
    globals[name] = (dom.window as unknown as Record<string, unknown>)[name];
  }

  const env: WeappEnvironment = {
    requests: [],
    navigations: [],
    modals: [],
    toasts: [],
    storage: new Map(),
    privacy: { needAuthorization: true },
    fileChoices: [],
    mediaChoices: [],
    subscribeRequests: [],
    subscribeAnswer: 'accept',
    badges: [],
    setNetwork: (isConnected) =>
      networkListeners.forEach((listener) => listener({ isConnected, networkType: isConnected ? 'wifi' : 'none' })),
    open: () => Promise.reject(new Error('not ready')),
  };
  const networkListeners = new Set<(status: { isConnected: boolean; networkType: string }) => void>();
  const stack: Array<{ route: string; options: Record<string, string> }> = [];

  const navigate = (api: Navigation['api']) => (options: Callbacks<unknown> & { url?: string }) => {
    env.navigations.push({ api, url: options.url ?? '' });
    answer(options, { errMsg: `${api}:ok` });
    return Promise.resolve({ errMsg: `${api}:ok` });
  };

  const wx: Record<string, unknown> = {
    request(options: Callbacks<unknown> & { url: string; method?: string; data?: unknown; header?: Record<string, string> }) {
      env.requests.push(options.url);
      const url = new URL(options.url);
      const body = options.data === undefined || options.method === 'GET' ? undefined : JSON.stringify(options.data);
      fetch(`${apiOrigin}${url.pathname}${url.search}`, { method: options.method ?? 'GET', headers: options.header, body })
        .then(async (response) => {
          const text = await response.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: the page gets the text, as wx.request does
          }
          const header: Record<string, string> = {};
          response.headers.forEach((value, name) => (header[name] = value));
          answer(options, { statusCode: response.status, data, header, errMsg: 'request:ok' });
        })
        .catch((error: Error) => refuse(options, `request:fail ${error.message}`));
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {}, onChunkReceived() {}, offChunkReceived() {} };
    },
    login(options: Callbacks<{ code: string; errMsg: string }>) {
      fetch(`${wechatBaseUrl}/__fake__/codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid: `o-weapp-${Date.now()}` }),
      })
        .then((response) => response.json() as Promise<{ code: string }>)
        .then(({ code }) => answer(options, { code, errMsg: 'login:ok' }))
        .catch((error: Error) => refuse(options, `login:fail ${error.message}`));
    },
    getStorageSync: (key: string) => (env.storage.has(key) ? env.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void env.storage.set(key, value),
    removeStorageSync: (key: string) => void env.storage.delete(key),
    getPrivacySetting: (options: Callbacks<unknown>) =>
      answer(options, { ...env.privacy, privacyContractName: '《保学通隐私保护指引》', errMsg: 'getPrivacySetting:ok' }),
    onNeedPrivacyAuthorization: () => undefined,
    openPrivacyContract: (options: Callbacks<unknown>) => answer(options, { errMsg: 'openPrivacyContract:ok' }),
    chooseMessageFile: (options: Callbacks<unknown> & Record<string, unknown>) => {
      env.fileChoices.push(options);
      refuse(options, 'chooseMessageFile:fail cancel');
    },
    chooseMedia: (options: Callbacks<unknown> & Record<string, unknown>) => {
      env.mediaChoices.push(options);
      refuse(options, 'chooseMedia:fail cancel');
    },
    requestSubscribeMessage: (options: Callbacks<Record<string, string>> & { tmplIds: string[] }) => {
      env.subscribeRequests.push({ tmplIds: options.tmplIds });
      const answers = Object.fromEntries(options.tmplIds.map((id) => [id, env.subscribeAnswer]));
      answer(options, { ...answers, errMsg: 'requestSubscribeMessage:ok' });
    },
    onNetworkStatusChange: (listener: (status: { isConnected: boolean; networkType: string }) => void) =>
      void networkListeners.add(listener),
    offNetworkStatusChange: (listener: (status: { isConnected: boolean; networkType: string }) => void) =>
      void networkListeners.delete(listener),
    setTabBarBadge: (options: Callbacks<unknown> & { index: number; text: string }) => {
      env.badges.push({ index: options.index, text: options.text });
      answer(options, { errMsg: 'setTabBarBadge:ok' });
    },
    removeTabBarBadge: (options: Callbacks<unknown> & { index: number }) => {
      env.badges.push({ index: options.index, text: null });
      answer(options, { errMsg: 'removeTabBarBadge:ok' });
    },
    showToast: (options: Callbacks<unknown> & { title: string }) => {
      env.toasts.push(options.title);
      answer(options, { errMsg: 'showToast:ok' });
    },
    showModal: (options: Callbacks<unknown> & { title?: string; content?: string }) => {
      env.modals.push({ title: options.title, content: options.content });
      answer(options, { confirm: true, cancel: false, errMsg: 'showModal:ok' });
    },
    setNavigationBarTitle: (options: Callbacks<unknown>) => answer(options, { errMsg: 'setNavigationBarTitle:ok' }),
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    switchTab: navigate('switchTab'),
    reLaunch: navigate('reLaunch'),
    navigateBack: navigate('navigateBack'),
  };
  globals.wx = wx;
  globals.getCurrentPages = () => stack.map((page) => ({ route: page.route, options: page.options }));

  // miniprogram-simulate registers `Component` and merges our `wx` over its own mock on load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;
  Object.assign(globals.wx as object, wx);

  let app: Record<string, unknown> | null = null;
  globals.App = (config: Record<string, unknown>) => {
    app = config;
  };
  globals.getApp = () => app;

  // The pending query of the page being opened: Taro's onLoad takes it.
  let opening: { route: string; options: Record<string, string> } | null = null;
  globals.Page = (config: Record<string, unknown>) => {
    const methods: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(config)) if (typeof value === 'function') methods[name] = value;
    const Component = globals.Component as (options: Record<string, unknown>) => void;
    Component({
      data: config.data,
      methods,
      lifetimes: {
        attached(this: Record<string, (...args: unknown[]) => void> & { route?: string }) {
          const { route, options } = opening!;
          this.route = route;
          this.onLoad?.call(this, options);
          this.onShow?.call(this);
          this.onReady?.call(this);
        },
        detached(this: Record<string, (...args: unknown[]) => void>) {
          this.onUnload?.call(this);
        },
      },
    });
  };

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(WEAPP_DIST, 'app.js'));
  (app as { onLaunch?: (options: unknown) => void } | null)?.onLaunch?.({ path: 'pages/index/index', query: {}, scene: 1001 });
  (app as { onShow?: (options: unknown) => void } | null)?.onShow?.({ path: 'pages/index/index', query: {}, scene: 1001 });

  // A page's code registers it once (webpack runs each module once); each open renders a new instance.
  const registered = new Map<string, string>();
  env.open = async (pagePath, query = {}) => {
    const route = pagePath.replace(/^\//, '');
    opening = { route, options: query };
    stack.push(opening);
    let id = registered.get(route);
    if (!id) {
      id = simulate.load(join(WEAPP_DIST, route), { rootPath: WEAPP_DIST, compiler: 'official' });
      registered.set(route, id);
    }
    const component = simulate.render(id);
    const parent = dom.window.document.createElement('div');
    dom.window.document.body.appendChild(parent);
    component.attach(parent);
    const page = wrap(route, component, env, () => {
      component.detach();
      parent.remove();
      stack.splice(
        stack.findIndex((entry) => entry.route === route),
        1,
      );
    });
    await sleep(50);
    return page;
  };
  return env;
}

function wrap(path: string, component: SimulateComponent, env: WeappEnvironment, close: () => void): WeappPage {
  const text = () => (component.dom.textContent ?? '').replace(/\s+/g, ' ');

  /** The innermost element with the class (Taro's wrappers repeat it) whose text has `content`. */
  const find = (className: string, content?: string): SimulateNode => {
    const candidates = component
      .querySelectorAll(`.${className}`)
      .filter((node) => !content || (node.dom.textContent ?? '').includes(content));
    const innermost = candidates.filter((node) => !candidates.some((other) => other !== node && node.dom.contains(other.dom)));
    if (!innermost.length) throw new Error(`no .${className}${content ? ` with “${content}”` : ''} on ${path}: ${text().slice(0, 300)}`);
    return innermost[0]!;
  };

  /** `find`, waiting for the element a while: a page opened just now may not have rendered it yet. */
  const found = async (className: string, content?: string, timeoutMs = 5000): Promise<SimulateNode> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return find(className, content);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(25);
      }
    }
  };

  const settle = () => sleep(30);

  return {
    path,
    text,
    async waitForText(expected, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!text().includes(expected)) {
        if (Date.now() > deadline) throw new Error(`“${expected}” did not appear on ${path}; it shows: ${text().slice(0, 500)}`);
        await sleep(25);
      }
    },
    async tap(className, content) {
      (await found(className, content)).dispatchEvent('tap');
      await settle();
    },
    async trigger(className, eventName, content) {
      if (eventName === 'agreeprivacyauthorization') env.privacy.needAuthorization = false;
      (await found(className, content)).dispatchEvent(eventName);
      await settle();
    },
    async input(className, value) {
      (await found(className)).dispatchEvent('input', { detail: { value, cursor: value.length } });
      await settle();
    },
    close,
  };
}
