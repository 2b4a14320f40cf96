import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{d as a,e as b,f as c}from"./chunk-DIFXNIEC.js";import"./chunk-HYTZKKMP.js";import"./chunk-HP4PLRIX.js";export{a as DEFAULT_TAG_FORMAT,c as emptyConfig,b as normalizeConfig};
