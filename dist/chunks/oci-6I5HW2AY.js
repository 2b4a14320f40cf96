import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d}from"./chunk-2TUSUTWK.js";import"./chunk-ODGCF3N7.js";import"./chunk-VG4AJEH4.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
