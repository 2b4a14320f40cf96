const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import t from"../kernel.js";var o=t.m18(),{splitLines:s}=o;export{s as a};
