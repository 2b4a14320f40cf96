const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as t}from"./chunk-Y26AOD52.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),n=a.m18(),{PLAN_SCHEMA:p,emptyPlan:m,parsePlan:o,upsertService:s,withWritten:c}=n;export{m as a,o as b,s as c,c as d};
//# sourceMappingURL=chunk-NUFIS4GG.mjs.map
