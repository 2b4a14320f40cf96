const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import t from"../kernel.js";var a=t.m22(),m=a.default;export{m as a};
