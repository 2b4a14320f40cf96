import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{c as a,d as b,e as c}from"./chunk-LPH6BQV6.js";import"./chunk-HP4PLRIX.js";export{a as DEFAULT_TAG_FORMAT,c as emptyConfig,b as normalizeConfig};
