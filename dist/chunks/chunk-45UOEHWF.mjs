const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-V6ASQTCS.mjs";import{e}from"./chunk-UVSCDZT3.mjs";var r=e(t()),o=(0,r.createRequire)(import.meta.url)("../kernel.js"),s=o.m15(),{UserError:a,isUserError:m}=s;export{a,m as b};
