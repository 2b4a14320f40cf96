import { UserError } from './errors.js';

/**
 * The `{{name}}` / `{{helper 'arg' key='value'}}` template syntax shared with docker/metadata-action
 * (which uses Handlebars). Only plain expressions are supported: no blocks, no partials.
 */
/**
 * A helper's arguments: a quoted one is its text; an unquoted one is, as in Handlebars, a number or the value of the
 * variable it names (undefined when there is none: `{{date YYYY-MM-DD}}` formats with no format).
 */
export type TemplateHelper = (args: (string | undefined)[], hash: Record<string, string>) => string;
export type TemplateValue = string | number | undefined | TemplateHelper;
export type TemplateVars = Record<string, TemplateValue>;

const EXPRESSION = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TOKEN = /\s*(?:([A-Za-z_][\w-]*)=)?(?:'([^']*)'|"([^"]*)"|([^\s'"=]+))/y;

interface Expression {
  name: string;
  args: { value: string; quoted: boolean }[];
  hash: Record<string, string>;
}

function parseExpression(body: string, template: string): Expression {
  const tokens: { key?: string; value: string; quoted: boolean }[] = [];
  let rest = body;
  while (rest.trim().length > 0) {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m) throw new UserError(`Cannot parse "{{${body}}}" in template "${template}"`);
    const quoted = m[2] !== undefined || m[3] !== undefined;
    tokens.push({ key: m[1], value: m[2] ?? m[3] ?? m[4], quoted });
    rest = rest.slice(TOKEN.lastIndex);
  }
  const [head, ...others] = tokens;
  if (!head || head.key || head.quoted) throw new UserError(`Cannot parse "{{${body}}}" in template "${template}"`);
  const args: Expression['args'] = [];
  const hash: Record<string, string> = {};
  for (const t of others) {
    if (t.key) hash[t.key] = t.value;
    else args.push({ value: t.value, quoted: t.quoted });
  }
  return { name: head.value, args, hash };
}

/** Names used by a template, in order, so callers can check them before rendering. */
export function templateNames(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(EXPRESSION)) names.push(parseExpression(m[1], template).name);
  return names;
}

export function renderTemplate(template: string, vars: TemplateVars): string {
  if (!template.includes('{{')) return template;
  return template.replace(EXPRESSION, (_all, body: string) => {
    const expr = parseExpression(body, template);
    if (!Object.prototype.hasOwnProperty.call(vars, expr.name)) {
      const known = Object.keys(vars).sort().join(', ');
      throw new UserError(`Unknown template variable "${expr.name}" in "${template}" (known: ${known})`);
    }
    const value = vars[expr.name];
    if (typeof value === 'function') return value(expr.args.map(arg => argumentValue(arg, vars)), expr.hash);
    if (expr.args.length > 0) throw new UserError(`"${expr.name}" takes no arguments in template "${template}"`);
    return value === undefined ? '' : String(value);
  });
}

function argumentValue(arg: { value: string; quoted: boolean }, vars: TemplateVars): string | undefined {
  if (arg.quoted || /^-?\d+(\.\d+)?$/.test(arg.value)) return arg.value;
  const value = Object.prototype.hasOwnProperty.call(vars, arg.value) ? vars[arg.value] : undefined;
  return value === undefined || typeof value === 'function' ? undefined : String(value);
}
