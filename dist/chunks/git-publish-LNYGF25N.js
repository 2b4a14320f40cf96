import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"./chunk-VYCB5SAN.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
