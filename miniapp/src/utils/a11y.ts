/**
 * Keyboard and screen-reader support for the browser build (issue 16, accessibility). The mini
 * program takes this file and needs nothing: WeChat gives its built-in components their roles and
 * focus. The H5 build takes a11y.h5.ts.
 */
export function startAccessibility(): void {}
