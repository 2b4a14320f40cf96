import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a}from"./chunk-G6Y6PXHL.js";import"./chunk-HP4PLRIX.js";export default a();
