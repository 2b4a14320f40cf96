import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
function e(t){return t===void 0?[]:(Array.isArray(t)?t.join(`
`):t).split(/\r?\n/).map(r=>r.trim()).filter(r=>r.length>0&&!r.startsWith("#"))}export{e as a};
