const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(t()),p=(0,e.createRequire)(import.meta.url)("../kernel.js"),s=p.m19(),{PLAN_SCHEMA:a,emptyPlan:n,parsePlan:c,upsertService:i,upsertServices:m,withWritten:o}=s;export{n as a,c as b,i as c,m as d,o as e};
//# sourceMappingURL=chunk-FXSYJXJJ.mjs.map
