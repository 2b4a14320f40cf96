const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import t from"../kernel.js";var e=t.m7(),{readTextIfExists:r,writeFilesAtomically:s}=e;export{r as a,s as b};
