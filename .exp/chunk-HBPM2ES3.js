import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
var r=class extends Error{file;line;input;constructor(t,n={}){super(t),this.name="UserError",this.file=n.file,this.line=n.line,this.input=n.input}};function e(i){return i instanceof r}export{r as a,e as b};
