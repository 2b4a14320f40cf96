import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"./chunk-F5JRFVY5.js";import"./chunk-HBPM2ES3.js";import"./chunk-XPXPHF42.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
