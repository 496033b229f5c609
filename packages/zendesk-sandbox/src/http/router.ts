/**
 * A small segment trie: static segments win over `:param` segments, so
 * `/users/show_many` never reaches `/users/:id`.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Node<R> {
  readonly statics: Map<string, Node<R>>;
  param: { readonly name: string; readonly node: Node<R> } | undefined;
  readonly routes: Map<string, R>;
}

export interface Match<R> {
  readonly route: R;
  readonly params: Record<string, string>;
}

const newNode = <R>(): Node<R> => ({ statics: new Map(), param: undefined, routes: new Map() });

/** Routes keyed by method and path pattern (`/api/v2/users/:id`). */
export class Router<R> {
  private readonly root: Node<R> = newNode();

  add(method: Method, pattern: string, route: R): void {
    let node = this.root;
    for (const seg of pattern.split('/').filter(Boolean)) {
      if (seg.startsWith(':')) {
        const name = seg.slice(1);
        if (node.param && node.param.name !== name) throw new Error(`param name clash at ${pattern}`);
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.statics.get(seg);
        if (!next) {
          next = newNode();
          node.statics.set(seg, next);
        }
        node = next;
      }
    }
    if (node.routes.has(method)) throw new Error(`duplicate route ${method} ${pattern}`);
    node.routes.set(method, route);
  }

  match(method: string, path: string): Match<R> | undefined {
    const segs = path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    const route = walk(this.root, segs, 0, method, params);
    return route === undefined ? undefined : { route, params };
  }
}

function walk<R>(node: Node<R>, segs: string[], i: number, method: string, params: Record<string, string>): R | undefined {
  if (i === segs.length) return node.routes.get(method);
  const seg = segs[i] as string;
  const next = node.statics.get(seg);
  if (next) {
    const found = walk(next, segs, i + 1, method, params);
    if (found !== undefined) return found;
  }
  if (node.param) {
    const found = walk(node.param.node, segs, i + 1, method, params);
    if (found !== undefined) {
      params[node.param.name] = safeDecode(seg);
      return found;
    }
  }
  return undefined;
}

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}
