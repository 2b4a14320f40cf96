import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d}from"./chunk-2H7E37YC.js";import"./chunk-VG4AJEH4.js";import"./chunk-PKX6TTQU.js";import"./chunk-BHUMTTB5.js";import"./chunk-WPSLHB6Q.js";import"./chunk-QGFZFHH7.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
