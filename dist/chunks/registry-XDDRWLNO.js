import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"./chunk-GHSQWG6B.js";import"./chunk-2TUSUTWK.js";import"./chunk-ODGCF3N7.js";import"./chunk-VG4AJEH4.js";import"./chunk-6KMBJ45F.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{a as Registries,b as imageLabels,c as resolveLatest};
