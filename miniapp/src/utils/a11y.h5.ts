import './a11y.h5.css';

/**
 * Keyboard and screen-reader support for the browser build (issue 16, accessibility).
 *
 * Taro's H5 components render as custom elements that a browser does not know: a <Button> is a
 * `taro-button-core` nobody can reach with Tab, a tappable <View> a plain element, and a <Field>'s
 * label a span the <input> inside Taro's `taro-input-core` knows nothing about. Rather than patch
 * every page, one observer gives the rendered DOM what the components mean:
 * - buttons and the app's tappable controls (the classes below, and anything a page marks with
 *   `role="button"`) get a role, join the Tab order and answer Enter and Space like a click;
 *   disabled ones say so (`aria-disabled`) and leave the Tab order;
 * - a form field's input is named by the field's visible label (`aria-labelledby`); an input with no
 *   label is named by its placeholder;
 * - a page that scrolls can be reached from the keyboard to scroll it.
 */

/** The app's tappable controls: Views and Texts with a click handler, named by their class. */
const TAPPABLE_CLASSES = [
  'menu-row',
  'chip',
  'segment',
  'picker-option',
  'link',
  'dash-link',
  'dash-figure',
  'rate-row-link',
  'demo-account',
  'place-step',
  'audit-link',
  'chosen-item',
  'week-row',
];
const CONTROL = [
  'taro-button-core',
  '[role=button]',
  '[role=checkbox]',
  '[role=tab]',
  '[role=link]',
  ...TAPPABLE_CLASSES.map((name) => `.${name}`),
].join(',');
/** What scrolls on its own (a page, a wide table): reachable from the keyboard to scroll it. */
const SCROLLERS = ['.taro_page', '.scorecard-grid'].map((selector) => `${selector}:not([tabindex])`).join(',');
const LABELLED = '.field';
const INPUT = 'input:not([type=hidden]), textarea';

let labels = 0;

function isDisabled(element: Element): boolean {
  const disabled = element.getAttribute('disabled');
  return disabled !== null && disabled !== 'false';
}

function enhanceControl(element: HTMLElement): void {
  if (!element.hasAttribute('role')) element.setAttribute('role', 'button');
  if (isDisabled(element)) {
    if (element.getAttribute('aria-disabled') !== 'true') element.setAttribute('aria-disabled', 'true');
    if (element.getAttribute('tabindex') !== '-1') element.setAttribute('tabindex', '-1');
  } else {
    if (element.hasAttribute('aria-disabled')) element.removeAttribute('aria-disabled');
    if (element.getAttribute('tabindex') !== '0') element.setAttribute('tabindex', '0');
  }
}

function labelInputs(field: Element): void {
  const label = field.querySelector<HTMLElement>('.field-label');
  for (const input of Array.from(field.querySelectorAll<HTMLElement>(INPUT))) {
    if (input.hasAttribute('aria-labelledby') || input.hasAttribute('aria-label')) continue;
    if (label?.textContent?.trim()) {
      if (!label.id) label.id = `field-label-${++labels}`;
      input.setAttribute('aria-labelledby', label.id);
    }
  }
}

function nameByPlaceholder(input: Element): void {
  if (input.hasAttribute('aria-label') || input.hasAttribute('aria-labelledby')) return;
  const placeholder = input.getAttribute('placeholder');
  if (placeholder) input.setAttribute('aria-label', placeholder);
}

function enhance(): void {
  document.querySelectorAll<HTMLElement>(CONTROL).forEach(enhanceControl);
  document.querySelectorAll(LABELLED).forEach(labelInputs);
  document.querySelectorAll(INPUT).forEach(nameByPlaceholder);
  document.querySelectorAll<HTMLElement>(SCROLLERS).forEach((scroller) => scroller.setAttribute('tabindex', '0'));
}

let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    enhance();
  });
}

/** Enter and Space on a control that is not a native button act as a tap. */
function onKeyDown(event: KeyboardEvent): void {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const target = event.target as HTMLElement | null;
  if (!target || target.matches('input, textarea, button, a[href]') || !target.matches(CONTROL)) return;
  if (target.getAttribute('aria-disabled') === 'true') return;
  event.preventDefault();
  target.click();
}

/**
 * A pointer does not focus a control (the keyboard reaches it with Tab), and leaves a typed field as a
 * tap elsewhere does — as before the controls joined the Tab order. Otherwise a tapped 提交 button
 * holds the focus, and React, which puts the focus back where it was before each commit, takes it
 * from the field a refused form focuses for correction.
 */
function onPointerDown(event: MouseEvent): void {
  const control = (event.target as Element | null)?.closest?.(CONTROL);
  if (!control || control.matches('input, textarea, a[href]')) return;
  event.preventDefault();
  const active = document.activeElement as HTMLElement | null;
  if (active?.matches('input, textarea') && !control.contains(active)) active.blur();
}

export function startAccessibility(): void {
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return;
  document.addEventListener('mousedown', onPointerDown, true);
  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['disabled', 'class', 'placeholder'],
  });
  document.addEventListener('keydown', onKeyDown);
  enhance();
}
