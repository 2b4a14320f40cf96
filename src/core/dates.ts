import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import { UserError } from './errors.js';
import type { TemplateHelper } from './template.js';

let zoned: typeof dayjs | undefined;
/** dayjs with its time-zone plugins, extended on the first date formatted: a run that formats none never starts dayjs. */
function zonedDayjs(): typeof dayjs {
  if (!zoned) {
    dayjs.extend(utc);
    dayjs.extend(timezone);
    zoned = dayjs;
  }
  return zoned;
}

/** Formats like moment (metadata-action's `{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`); UTC unless `tz` is given. */
export function formatDate(date: Date, format: string, tz = 'UTC'): string {
  const day = zonedDayjs();
  try {
    return day(date).tz(tz).format(format);
  } catch {
    throw new UserError(`Unknown time zone "${tz}" in {{date}}: expected an IANA name such as Europe/Paris`);
  }
}

/**
 * `{{date 'format' tz='Zone'}}`. Without an argument the format is YYYYMMDD; with an argument that names nothing
 * (`{{date YYYY-MM-DD}}`, unquoted) it is ISO 8601, as moment formats with no format.
 */
export function dateHelper(date: Date | undefined, name: string): TemplateHelper {
  return (args, hash) => {
    for (const key of Object.keys(hash)) {
      if (key !== 'tz') throw new UserError(`Unknown ${key} attribute in {{${name}}}: only tz= is supported`);
    }
    if (!date) throw new UserError(`{{${name}}} is not available here`);
    const tz = hash.tz ?? 'UTC';
    const format = args.length === 0 ? 'YYYYMMDD' : (args[0] ?? (tz === 'UTC' ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ'));
    return formatDate(date, format, tz);
  };
}
