import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"./chunk-ZS2AFISP.js";import"./chunk-OTZHSTUH.js";import"./chunk-HW3GC2IY.js";import"./chunk-VG4AJEH4.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{a as Registries,b as imageLabels,c as resolveLatest};
