import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{o as a,p as b,q as c}from"./chunk-UXRHAQCM.js";import"./chunk-GXW3PPM5.js";import"./chunk-VG4AJEH4.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{b as EcrRegistry,a as awsError,c as decodeAuthorizationToken};
