const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m20 as t}from"../kernel.js";var e=await t(),{PLAN_SCHEMA:r,emptyPlan:n,parsePlan:p,upsertService:i,withWritten:m}=e;export{n as a,p as b,i as c,m as d};
