import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d}from"./chunk-NLJH77C6.js";import"./chunk-VG4AJEH4.js";import"./chunk-PKX6TTQU.js";import"./chunk-OGZVBS5E.js";import"./chunk-Q2MZQFLW.js";import"./chunk-QGFZFHH7.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
