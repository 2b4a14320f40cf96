const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import t from"../kernel.js";var e=t.m20(),{PLAN_SCHEMA:p,emptyPlan:a,parsePlan:n,upsertService:m,withWritten:o}=e;export{a,n as b,m as c,o as d};
