import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"./chunk-ODGCF3N7.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
