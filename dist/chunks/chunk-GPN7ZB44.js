const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m11 as e}from"../kernel.js";var n=await e(),{CHANGE_TYPES:t,compileFilters:a,dependencyClosure:c,dependencyProblems:m,globProblem:r,matchChanges:s,needsGlobEngine:l,pathMatcher:p}=n;export{t as a,m as b,r as c};
