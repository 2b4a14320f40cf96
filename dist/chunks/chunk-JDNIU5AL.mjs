const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-V6ASQTCS.mjs";import{e as r}from"./chunk-UVSCDZT3.mjs";var e=r(o()),a=(0,e.createRequire)(import.meta.url)("../kernel.js"),t=a.m23(),{codeBlock:c,escapeMarkdown:m,markdownTable:n}=t;export{c as a,m as b,n as c};
