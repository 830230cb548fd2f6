import { options } from 'preact';

/**
 * The browser build runs on Preact (config/index.ts, `framework`), and Taro's React wrappers of its
 * web components were written for React, which writes a component's plain props as attributes. Preact
 * sets a property instead wherever the element has one of that name. For every prop but one the web
 * component's own property takes the value, as its attribute would. The exception is `focus` on
 * <Input> and <Textarea>: the attribute `focus` is their `autoFocus` prop, while the property `focus`
 * is the element's focus() method, which Preact would overwrite, and the field would not take the
 * focus (the tip form focuses the first field to correct). Here that value goes to `autoFocus`.
 */
export function adaptTaroComponents(): void {
  const next = options.vnode;
  options.vnode = (vnode) => {
    const props = vnode.props as Record<string, unknown> | null;
    if (typeof vnode.type === 'string' && vnode.type.startsWith('taro-') && props && 'focus' in props) {
      props.autoFocus = props.focus;
      delete props.focus;
    }
    next?.(vnode);
  };
}
