const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-V6ASQTCS.mjs";import{e as r}from"./chunk-UVSCDZT3.mjs";var e=r(t()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),o=a.m12(),{DEFAULT_TAG_FORMAT:m,emptyConfig:n,normalizeChart:i,normalizeConfig:p,releaseTagFormat:s}=o;export{i as a,p as b,s as c};
