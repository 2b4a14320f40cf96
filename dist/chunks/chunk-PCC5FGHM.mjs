const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-V6ASQTCS.mjs";import{e as t}from"./chunk-UVSCDZT3.mjs";var e=t(r()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),p=a.m21(),{PLAN_SCHEMA:n,emptyPlan:m,parsePlan:o,upsertService:s,withWritten:c}=p;export{m as a,o as b,s as c,c as d};
