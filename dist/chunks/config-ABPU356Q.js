import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{f as a,g as b,h as c}from"./chunk-4XOGP4XN.js";import"./chunk-G6Y6PXHL.js";import"./chunk-HYTZKKMP.js";import"./chunk-HP4PLRIX.js";export{a as DEFAULT_TAG_FORMAT,c as emptyConfig,b as normalizeConfig};
