import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a}from"./chunk-6KMBJ45F.js";import"./chunk-QGFZFHH7.js";export default a();
