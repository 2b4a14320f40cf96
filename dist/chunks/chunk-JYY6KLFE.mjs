const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import e from"../kernel.js";var t=e.m24(),{renderTemplate:a,templateNames:p}=t;export{a};
