import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d}from"./chunk-LJHE7CZ3.js";import"./chunk-F5JRFVY5.js";import"./chunk-PODFVT24.js";import"./chunk-HBPM2ES3.js";import"./chunk-QQDPMY7M.js";import"./chunk-XPXPHF42.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
