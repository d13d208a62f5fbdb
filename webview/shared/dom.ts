/**
 * Tiny DOM helper: build elements without innerHTML, so no text from a results file is ever parsed as markup. The
 * vscode-elements tags are typed by the library itself (it declares them in HTMLElementTagNameMap), so `el` gives a
 * `vscode-single-select` its own type, no cast.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
