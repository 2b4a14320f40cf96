const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var t=e(r()),a=(0,t.createRequire)(import.meta.url)("../kernel.js"),o=a.m7(),{Git:p,LOG_FORMAT:s,gitExec:m,parseLogOutput:c,parseNameStatus:i}=o;export{p as a};
//# sourceMappingURL=chunk-DOL2ARIV.mjs.map
