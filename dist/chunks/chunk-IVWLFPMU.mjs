const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import o from"../kernel.js";var t=o.m1(),{loadConfig:m}=t;export{m as a};
