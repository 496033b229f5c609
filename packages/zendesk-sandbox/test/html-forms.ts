/** A form found on an HTML page: its action, method, and the fields a browser would submit. */
export interface HtmlForm {
  readonly id: string | null;
  readonly action: string;
  readonly method: string;
  /** Named inputs with their current values (hidden, text, email, password…). */
  readonly fields: Record<string, string>;
  /** Submit buttons by id (or by value when they have no id): name + value. */
  readonly buttons: Record<string, { name: string; value: string }>;
}

const decode = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    out[(m[1] as string).toLowerCase()] = decode(m[3] ?? m[4] ?? m[5] ?? '');
  }
  return out;
}

/** Parses every `<form>` of a page the way a browser reads it (no scripts involved). */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1] as string);
    const inner = m[2] as string;
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const i = attrs(input[1] as string);
      if (i.name !== undefined && i.type !== 'submit') fields[i.name] = i.value ?? '';
    }
    const buttons: Record<string, { name: string; value: string }> = {};
    for (const button of inner.matchAll(/<button\b([^>]*)>/gi)) {
      const b = attrs(button[1] as string);
      if (b.name !== undefined) buttons[b.id ?? b.value ?? b.name] = { name: b.name, value: b.value ?? '' };
    }
    forms.push({ id: a.id ?? null, action: a.action ?? '', method: (a.method ?? 'get').toUpperCase(), fields, buttons });
  }
  return forms;
}
